// Delivery under real conditions, against the sandbox over real HTTP: update events, caller match
// and merge, injected Zendesk faults, a restart in the middle of a handoff, and two service
// processes sharing one PostgreSQL server.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import {
  core, fixture, waitFor, serviceConfig, postSigned, withSandbox, sandboxApi, conversationsFor, ticketFor, spawnServe, respawn,
} from './support/service-harness.mjs';
import { startPostgres } from './support/postgres.mjs';

const require = createRequire(import.meta.url);
const { startService } = require('../../node/service/index.js');
const { runDoctor } = require('../../node/service/doctor.js');

async function inProcess(sandbox, extra) {
  const config = serviceConfig(sandbox, extra);
  const service = await startService({ overrides: { ...config, dataDir: `${require('node:os').tmpdir()}/ph-svc-${process.pid}-${Math.random().toString(36).slice(2)}` } });
  await sandboxApi(sandbox, 'webhooks/target', { method: 'POST', body: { target: `${service.url}/webhooks/sunshine` } });
  return { service, config };
}

const delivered = (store, source, callId) => waitFor(`${source} ${callId} delivered`, async () => {
  const [row] = await store.query('select state from handoffs where source = $1 and call_id = $2', [source, callId]);
  return row && row.state === 'delivered';
});

test('an update event (Retell call_analyzed after call_ended) enriches the same conversation, never a second one', async () => {
  const sandbox = await withSandbox();
  const { service, config } = await inProcess(sandbox);
  try {
    const ended = fixture('retell/call-ended.json');
    const analyzed = fixture('retell/call-analyzed.json');
    const callId = core.parse('retell', ended).handoff.call_id;
    assert.equal(core.parse('retell', analyzed).handoff.call_id, callId, 'the fixtures describe one call');
    assert.equal((await postSigned(service.url, 'retell', ended, config)).status, 202);
    await delivered(service.store, 'retell', callId);
    const second = await postSigned(service.url, 'retell', analyzed, config);
    assert.equal(second.status, 202);
    assert.equal(second.body.update, true);
    await waitFor('the updated summary', async () => {
      const [row] = await service.store.query('select state, revision, delivered_revision from handoffs where call_id = $1', [callId]);
      return row.state === 'delivered' && row.delivered_revision === row.revision && row.revision === 2;
    });
    const conversations = await conversationsFor(sandbox, callId);
    assert.equal(conversations.length, 1);
    const summary = core.parse('retell', analyzed).handoff.handoff.summary;
    const texts = conversations[0].messages.map((m) => (m.content && m.content.text) || '').join('\n');
    assert.ok(summary && texts.includes(summary.slice(0, 30)), 'the later summary reached the conversation');
  } finally { await service.close(); await sandbox.close(); }
});

async function knownCallerHandoff(sandboxSettings) {
  const sandbox = await withSandbox({ settings: sandboxSettings });
  const { service, config } = await inProcess(sandbox);
  const body = fixture('bland/post-call.json');
  const h = core.parse('bland', body).handoff;
  const seeded = await sandboxApi(sandbox, 'support/users', { method: 'POST', body: { name: 'Dana Known', phone: h.caller.phone, email: 'dana@example.com' } });
  assert.ok(seeded.user && seeded.user.id, JSON.stringify(seeded));
  assert.equal((await postSigned(service.url, 'bland', body, config)).status, 202);
  await delivered(service.store, 'bland', h.call_id);
  const ticket = await ticketFor(sandbox, h.call_id);
  const [row] = await service.store.query('select progress from handoffs where call_id = $1', [h.call_id]);
  return { sandbox, service, ticket, progress: row.progress, known: seeded.user };
}

test('a known caller is matched by phone and merged: the ticket lands on their existing Support user', async () => {
  // Without SSO, Zendesk merges end users that have external ids (the sandbox's default is stricter).
  const { sandbox, service, ticket, progress, known } = await knownCallerHandoff({ merge: { rejectSsoExternalIds: false } });
  try {
    assert.equal(progress.callerSearch.count, 1);
    assert.equal(progress.merge.status, 'merged');
    assert.equal(String(ticket.requester_id), String(known.id), 'the ticket moved to the known Support user');
  } finally { await service.close(); await sandbox.close(); }
});

test('a merge Zendesk refuses (SSO external ids) is reported and the handoff still stands', async () => {
  const { sandbox, service, ticket, progress } = await knownCallerHandoff({});
  try {
    assert.equal(progress.merge.status, 'refused');
    assert.equal(progress.merge.httpStatus, 422);
    assert.ok(ticket && ticket.tags.includes('opencx_channel_phone'), 'the ticket exists anyway');
  } finally { await service.close(); await sandbox.close(); }
});

test('429 (with and without Retry-After), 500, 503, timeouts, dropped connections and lost responses: one conversation, every message once', async () => {
  const sandbox = await withSandbox({ settings: { timeoutHoldMs: 2_500 } });
  const { service, config } = await inProcess(sandbox);
  try {
    const messages = '/sc/v2/apps/*/conversations/*/messages';
    for (const rule of [
      { kind: 'status', status: 429, retryAfter: 1, method: 'POST', path: messages, times: 1 },
      { kind: 'status', status: 429, method: 'POST', path: messages, times: 1 },
      { kind: 'status', status: 500, method: 'POST', path: '/sc/v2/apps/*/conversations', times: 1 },
      { kind: 'status', status: 503, method: 'POST', path: '/sc/v2/apps/*/conversations/*/passControl', times: 1 },
      { kind: 'lost_response', method: 'POST', path: '/sc/v2/apps/*/conversations', times: 1 },
      { kind: 'lost_response', method: 'POST', path: messages, times: 2 },
      { kind: 'drop', method: 'POST', path: messages, times: 1 },
      { kind: 'timeout', holdMs: 2_500, method: 'POST', path: messages, times: 1 },
    ]) {
      const r = await sandboxApi(sandbox, 'faults', { method: 'POST', body: rule });
      assert.ok(!r.errors && !r.error, JSON.stringify(r));
    }
    const body = fixture('vapi/long-400.json');
    const h = core.parse('vapi', body).handoff;
    assert.equal((await postSigned(service.url, 'vapi', body, config)).status, 202);
    await waitFor('delivery through the faults', async () => {
      const [row] = await service.store.query('select state from handoffs where call_id = $1', [h.call_id]);
      return row && row.state === 'delivered';
    }, { timeoutMs: 60_000 });
    const conversations = await conversationsFor(sandbox, h.call_id);
    assert.equal(conversations.length, 1, 'exactly one conversation');
    const parts = conversations[0].messages.map((m) => m.metadata && `${m.metadata.phone_handoff_kind}:${m.metadata.phone_handoff_part}`);
    assert.equal(new Set(parts).size, parts.length, `no message twice: ${parts.join(' ')}`);
    const rendered = core.render(h, config.handoff);
    assert.equal(parts.length, rendered.messages.length, 'every rendered message is there');
    const { faults } = await sandboxApi(sandbox, 'faults');
    assert.ok(faults.every((f) => f.hits > 0), `every injected fault was hit: ${JSON.stringify(faults)}`);
  } finally { await service.close(); await sandbox.close(); }
});

test('a service killed (SIGKILL) in the middle of a handoff resumes after restart: no duplicate, nothing lost', async () => {
  const sandbox = await withSandbox();
  const config = serviceConfig(sandbox);
  // Slow every message post so the kill lands mid-transcript.
  await sandboxApi(sandbox, 'faults', { method: 'POST', body: { kind: 'latency', latencyMs: 150, method: 'POST', path: '/sc/v2/apps/*/conversations/*/messages' } });
  let serve = await spawnServe(config);
  try {
    const body = fixture('elevenlabs/long-400.json');
    const h = core.parse('elevenlabs', body).handoff;
    assert.equal((await postSigned(serve.url, 'elevenlabs', body, config)).status, 202);
    await waitFor('some messages posted', async () => {
      const [conv] = await conversationsFor(sandbox, h.call_id);
      return conv && conv.messages.length >= 3;
    });
    await serve.kill('SIGKILL');
    serve = await respawn(serve.file);
    await waitFor('the ticket after restart', () => ticketFor(sandbox, h.call_id), { timeoutMs: 60_000 });
    const conversations = await conversationsFor(sandbox, h.call_id);
    assert.equal(conversations.length, 1);
    const parts = conversations[0].messages.map((m) => `${m.metadata.phone_handoff_kind}:${m.metadata.phone_handoff_part}`);
    assert.equal(new Set(parts).size, parts.length, 'no message twice');
    assert.equal(parts.length, core.render(h, config.handoff).messages.length, 'nothing lost');
  } finally { await serve.kill(); await sandbox.close(); }
});

test('two service processes sharing one PostgreSQL: concurrent duplicates to both make one conversation per call', async () => {
  const pg = await startPostgres();
  const sandbox = await withSandbox();
  const config = serviceConfig(sandbox, { databaseUrl: pg.url });
  const a = await spawnServe(config);
  const b = await spawnServe(config);
  try {
    const calls = ['bland/post-call.json', 'bland/long-40.json', 'retell/call-ended.json', 'vapi/end-of-call-report.json', 'elevenlabs/post-call-transcription.json', 'canonical/short-call.json'];
    const sources = calls.map((f) => f.split('/')[0]);
    const bodies = calls.map((f) => fixture(f));
    const posts = [];
    for (let copy = 0; copy < 3; copy++) {
      bodies.forEach((body, i) => posts.push(postSigned((copy % 2 ? a : b).url, sources[i], body, config)));
    }
    const answers = await Promise.all(posts);
    assert.ok(answers.every((r) => r.status === 202), JSON.stringify(answers.filter((r) => r.status !== 202)));
    for (const [i, body] of bodies.entries()) {
      const callId = core.parse(sources[i], body).handoff.call_id;
      await waitFor(`ticket for ${callId}`, () => ticketFor(sandbox, callId), { timeoutMs: 60_000 });
      assert.equal((await conversationsFor(sandbox, callId)).length, 1, `one conversation for ${callId}`);
    }
  } finally { await a.kill(); await b.kill(); await sandbox.close(); await pg.stop(); }
});

test('doctor explains what is wrong with a deployment, and passes a good one', async () => {
  const sandbox = await withSandbox();
  try {
    const config = serviceConfig(sandbox);
    const good = await runDoctor(config, { publicUrl: 'http://127.0.0.1:1' });
    const byCheck = Object.fromEntries(good.map((f) => [f.check, f]));
    assert.equal(byCheck.credentials.status, 'ok');
    assert.equal(byCheck['multi-conversations'].status, 'ok');
    assert.equal(byCheck['agent-workspace'].status, 'ok');
    assert.equal(byCheck['support-token'].status, 'ok');
    assert.equal(byCheck.webhook.status, 'problem', 'the sandbox webhook does not point at this URL yet');
    await sandboxApi(sandbox, 'webhooks/target', { method: 'POST', body: { target: 'http://127.0.0.1:1/webhooks/sunshine' } });
    const fixed = await runDoctor(config, { publicUrl: 'http://127.0.0.1:1' });
    assert.ok(fixed.every((f) => f.status !== 'problem'), JSON.stringify(fixed.filter((f) => f.status === 'problem')));

    const c = sandbox.credentials;
    const intKey = await runDoctor({ ...config, zendesk: { ...config.zendesk, sunshine: { keyId: c.integrationKeyId, secret: c.integrationSecret } } });
    assert.match(intKey.find((f) => f.check === 'key-type').message, /integration key/);
    const wrongApp = await runDoctor({ ...config, zendesk: { ...config.zendesk, appId: '000000000000000000000000' } });
    assert.equal(wrongApp.find((f) => f.check === 'app-id' || f.check === 'credentials').status, 'problem');
    const badToken = await runDoctor({ ...config, zendesk: { ...config.zendesk, support: { email: c.supportEmail, token: 'wrong' } } });
    assert.match(badToken.find((f) => f.check === 'support-token').message, /401/);
    await sandboxApi(sandbox, 'settings', { method: 'POST', body: { multiConversations: false } });
    const single = await runDoctor(config);
    assert.equal(single.find((f) => f.check === 'multi-conversations').status, 'problem');
  } finally { await sandbox.close(); }
});

test('a probe that fails transiently is retried, never taken as "not found" (no duplicate conversation)', async () => {
  const sandbox = await withSandbox();
  const { service, config } = await inProcess(sandbox);
  try {
    // The create succeeds but its answer is lost; the probe that follows (listing conversations) then
    // answers 503 once. Sending the create again at that point would make a second conversation.
    await sandboxApi(sandbox, 'faults', { method: 'POST', body: { kind: 'lost_response', method: 'POST', path: '/sc/v2/apps/*/conversations', times: 1 } });
    await sandboxApi(sandbox, 'faults', { method: 'POST', body: { kind: 'status', status: 503, method: 'GET', path: '/sc/v2/apps/*/conversations', times: 1 } });
    const body = fixture('canonical/logged-escalation-sms.json');
    const h = core.parse('canonical', body).handoff;
    assert.equal((await postSigned(service.url, 'canonical', body, config)).status, 202);
    await delivered(service.store, 'canonical', h.call_id);
    assert.equal((await conversationsFor(sandbox, h.call_id)).length, 1);
    const { faults } = await sandboxApi(sandbox, 'faults');
    assert.ok(faults.every((f) => f.hits > 0), JSON.stringify(faults));
  } finally { await service.close(); await sandbox.close(); }
});

test('Sunshine calls authenticate with an HS256 JWT (kid, scope) as well as Basic', async () => {
  const sandbox = await withSandbox();
  const base = serviceConfig(sandbox);
  const { service, config } = await inProcess(sandbox, { zendesk: { ...base.zendesk, sunshine: { ...base.zendesk.sunshine, auth: 'jwt' } } });
  try {
    const body = fixture('elevenlabs/post-call-transcription.json');
    const h = core.parse('elevenlabs', body).handoff;
    assert.equal((await postSigned(service.url, 'elevenlabs', body, config)).status, 202);
    await delivered(service.store, 'elevenlabs', h.call_id);
    const { requests } = await sandboxApi(sandbox, 'requests');
    const sunshine = requests.filter((r) => r.path.startsWith('/sc/'));
    assert.ok(sunshine.length > 0 && sunshine.every((r) => r.status < 400 || r.status === 404), JSON.stringify(sunshine.map((r) => [r.path, r.status])));
  } finally { await service.close(); await sandbox.close(); }
});

test('the Zendesk client sends a JWT with kid and scope when configured, Basic otherwise, and Support token auth', async () => {
  const { createZendeskClient } = require('../../node/service/zendesk-client.js');
  const seen = [];
  const fetchImpl = async (url, init) => { seen.push({ url, auth: init.headers.authorization }); return new Response('{}', { status: 200 }); };
  const zendesk = { subdomain: 'acme', sunshine: { keyId: 'app_123', secret: 's3cret', auth: 'jwt' }, support: { email: 'a@acme.com', token: 't' } };
  await createZendeskClient(zendesk, { fetchImpl }).request({ api: 'sunshine', method: 'GET', path: '/sc/v2/apps/x' });
  await createZendeskClient({ ...zendesk, sunshine: { keyId: 'int_9', secret: 's' } }, { fetchImpl }).request({ api: 'sunshine', method: 'GET', path: '/sc/v2/apps/x' });
  await createZendeskClient(zendesk, { fetchImpl }).request({ api: 'support', method: 'GET', path: '/api/v2/search.json' });
  assert.equal(seen[0].url, 'https://acme.zendesk.com/sc/v2/apps/x');
  const [head, payload] = seen[0].auth.replace(/^Bearer /, '').split('.').slice(0, 2).map((p) => JSON.parse(Buffer.from(p, 'base64url')));
  assert.deepEqual(head, { alg: 'HS256', typ: 'JWT', kid: 'app_123' });
  assert.deepEqual(payload, { scope: 'app' });
  assert.equal(seen[1].auth, `Basic ${Buffer.from('int_9:s').toString('base64')}`);
  assert.equal(seen[2].auth, `Basic ${Buffer.from('a@acme.com/token:t').toString('base64')}`);
  assert.equal(seen[2].url, 'https://acme.zendesk.com/api/v2/search.json');
});
