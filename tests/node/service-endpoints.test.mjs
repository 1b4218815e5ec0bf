// The service's HTTP surface beyond the happy path: every source's signature refusals (wrong
// secret, tampered body, stale timestamp), bad bodies (400/413/422, kept), Vapi's
// transfer-destination-request, Sunshine events (X-API-Key, dedupe, ticketClosed, passControl
// failure), health, readiness and metrics, and the jobs command.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { core, fixture, waitFor, serviceConfig, postSigned, withSandbox } from './support/service-harness.mjs';

const require = createRequire(import.meta.url);
const { startService } = require('../../node/service/index.js');

const SHORT = { canonical: 'canonical/short-call.json', vapi: 'vapi/end-of-call-report.json', retell: 'retell/call-ended.json', elevenlabs: 'elevenlabs/post-call-transcription.json', bland: 'bland/post-call.json' };

let sandbox; let service; let config; let dataDir;
test.before(async () => {
  sandbox = await withSandbox();
  dataDir = mkdtempSync(path.join(tmpdir(), 'ph-endpoints-'));
  config = serviceConfig(sandbox, {
    dataDir, limits: { maxBodyBytes: 200_000 },
    handoff: { sunshine: { integration: 'phone-handoff' }, matchCallers: false, agents: { 'asst-transfer': { transferNumber: '+15550100200' } } },
  });
  service = await startService({ overrides: config, startWorkers: true });
});
test.after(async () => { await service.close(); await sandbox.close(); });

const rawPost = (p, body, headers = {}) => fetch(`${service.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });

for (const [source, file] of Object.entries(SHORT)) {
  test(`${source}: wrong secret, tampered body and (where the scheme has one) a stale timestamp are 401`, async () => {
    const body = fixture(file);
    const sign = (secrets, now = Date.now()) => core.sign(source, body, { ...config.sources[source], secrets }, now).headers;
    const wrongSecret = source === 'canonical' ? `whsec_${Buffer.from('wrong').toString('base64')}` : 'wrong';
    let r = await rawPost(`/webhooks/${source}`, body, sign([wrongSecret]));
    assert.equal(r.status, 401);
    assert.equal((await r.json()).error, 'signature_mismatch');
    r = await rawPost(`/webhooks/${source}`, Buffer.concat([body, Buffer.from('\n')]), sign(config.sources[source].secrets));
    assert.equal(r.status, 401);
    if (source !== 'bland') {  // Bland signs no timestamp: its replay protection is de-duplication
      r = await rawPost(`/webhooks/${source}`, body, sign(config.sources[source].secrets, Date.now() - 2 * 3600_000));
      assert.equal(r.status, 401);
      assert.equal((await r.json()).error, 'timestamp_outside_window');
    }
    r = await rawPost(`/webhooks/${source}`, body, {});
    assert.equal(r.status, 401);
  });
}

test('bad bodies: not JSON is 400, an invalid handoff 422, too large 413; the first two are kept', async () => {
  const notJson = Buffer.from('{"call": oops');
  let r = await postSigned(service.url, 'bland', notJson, config);
  assert.equal(r.status, 400);
  assert.equal(r.body.error, 'invalid_json');
  const kept = await service.store.query('select status, http_status, body from deliveries where id = $1', [r.body.deliveryId]);
  assert.equal(Buffer.from(kept[0].body).toString(), notJson.toString(), 'the raw body is kept byte for byte');
  r = await postSigned(service.url, 'retell', fixture('retell/wrong-types.json'), config);
  assert.equal(r.status, 422);
  assert.ok(r.body.errors.every((e) => typeof e.pointer === 'string' && e.message));
  r = await postSigned(service.url, 'bland', Buffer.alloc(300_000, 0x20), config);
  assert.equal(r.status, 413);
  assert.equal((await rawPost('/webhooks/nope', '{}')).status, 404);
});

test('an event that carries no handoff is answered 200 "ignored" (no retry, no failure count) and kept, never queued', async () => {
  for (const [source, file] of [['retell', 'retell/call-started.json'], ['elevenlabs', 'elevenlabs/post-call-audio.json']]) {
    const body = fixture(file);
    const r = await postSigned(service.url, source, body, config);
    assert.equal(r.status, 200, `${file}: ${JSON.stringify(r.body)}`);
    assert.equal(r.body.ignored, true);
    assert.match(r.body.message, /^Nothing to fix/);
    const [kept] = await service.store.query('select status, http_status, body from deliveries where id = $1', [r.body.deliveryId]);
    assert.equal(kept.status, 'ignored');
    assert.equal(Buffer.from(kept.body).toString(), body.toString());
  }
  // A payload the sender got wrong is still 422.
  const r = await postSigned(service.url, 'retell', fixture('retell/missing-call-id.json'), config);
  assert.equal(r.status, 422);
  assert.equal(r.body.error, 'invalid_payload');
});

test("Vapi transfer-destination-request is answered with the assistant's number and the handoff starts at once", async () => {
  const doc = JSON.parse(fixture('vapi/transfer-destination-request.json'));
  doc.message.assistant = { ...(doc.message.assistant || {}), id: 'asst-transfer', name: 'Ava' };
  if (doc.message.call) doc.message.call.assistantId = 'asst-transfer';
  const body = Buffer.from(JSON.stringify(doc));
  const h = core.parse('vapi', body).handoff;
  assert.equal(h.agent.id, 'asst-transfer');
  const r = await postSigned(service.url, 'vapi', body, config);
  assert.equal(r.status, 200);
  assert.deepEqual(r.body, { destination: { type: 'number', number: '+15550100200' } });
  await waitFor('the queued handoff', async () => (await service.store.query('select 1 from handoffs where source = $1 and call_id = $2', ['vapi', h.call_id])).length === 1);
});

test('Sunshine events: X-API-Key checked, events de-duplicated, ticketClosed recorded, a passControl failure re-queues', async () => {
  const body = fixture(SHORT.bland);
  const h = core.parse('bland', body).handoff;
  assert.equal((await postSigned(service.url, 'bland', body, config)).status, 202);
  await waitFor('delivery', async () => (await service.store.query('select state from handoffs where call_id = $1', [h.call_id]))[0].state === 'delivered');
  const conversation = { id: 'c1', metadata: { phone_handoff_call_id: h.call_id, phone_handoff_source: 'bland' } };
  const envelope = (events) => JSON.stringify({ app: { id: 'a' }, webhook: { id: 'w', version: 'v2' }, events });
  const closed = { id: 'evt-closed-1', type: 'switchboard:passControl', createdAt: new Date().toISOString(), payload: { conversation, reason: 'ticketClosed', metadata: {} } };
  assert.equal((await rawPost('/webhooks/sunshine', envelope([closed]), { 'x-api-key': 'wrong' })).status, 401);
  let r = await rawPost('/webhooks/sunshine', envelope([closed, closed]), { 'x-api-key': config.zendesk.webhookSecret });
  assert.deepEqual(await r.json(), { received: 2, new: 1, ignored: 0 });
  r = await rawPost('/webhooks/sunshine', envelope([closed]), { 'x-api-key': config.zendesk.webhookSecret });
  assert.deepEqual(await r.json(), { received: 1, new: 0, ignored: 0 }, 'a retried event is not applied twice');
  // Events that change nothing are acknowledged without a store write: our own message echoed
  // back, a caller's message, control passed for another reason, another app's conversation.
  const echo = { id: 'evt-echo-1', type: 'conversation:message', payload: { conversation, message: { id: 'm1', source: { type: 'api:conversations' } } } };
  const callerMessage = { id: 'evt-caller-1', type: 'conversation:message', payload: { conversation, message: { id: 'm2', source: { type: 'web' } } } };
  const otherReason = { id: 'evt-pass-1', type: 'switchboard:passControl', payload: { conversation, reason: 'none' } };
  const foreign = { id: 'evt-foreign-1', type: 'switchboard:passControl:failure', payload: { conversation: { id: 'c9', metadata: {} } } };
  const before = (await service.store.query('select count(*)::int as n from sunshine_events'))[0].n;
  r = await rawPost('/webhooks/sunshine', envelope([echo, callerMessage, otherReason, foreign]), { 'x-api-key': config.zendesk.webhookSecret });
  assert.deepEqual(await r.json(), { received: 4, new: 0, ignored: 4 });
  assert.equal((await service.store.query('select count(*)::int as n from sunshine_events'))[0].n, before);
  let [row] = await service.store.query('select progress from handoffs where call_id = $1', [h.call_id]);
  assert.equal(typeof row.progress.ticketClosedAt, 'number');
  const failure = { id: 'evt-fail-1', type: 'switchboard:passControl:failure', payload: { conversation, error: { code: 'switchboard_invalid_target' }, metadata: {} } };
  r = await rawPost('/webhooks/sunshine', envelope([failure]), { 'x-api-key': config.zendesk.webhookSecret });
  assert.equal(r.status, 200);
  // The handoff goes back to the queue and is delivered again: the plan re-checks who holds control.
  await waitFor('re-delivery', async () => {
    const [again] = await service.store.query('select state, progress, updated_at from handoffs where call_id = $1', [h.call_id]);
    return again.state === 'delivered' && again.progress.handoff && again.progress.handoff.passed === true && Number(again.updated_at) > Date.parse(closed.createdAt);
  });
});

test('healthz, readyz and metrics', async () => {
  assert.deepEqual(await (await fetch(`${service.url}/healthz`)).json(), { ok: true });
  assert.deepEqual(await (await fetch(`${service.url}/readyz`)).json(), { ready: true });
  const text = await (await fetch(`${service.url}/metrics`)).text();
  assert.match(text, /^# TYPE intake_accepted_total counter$/m);
  assert.match(text, /^intake_rejected_total\{reason="signature_mismatch",source="retell"\} \d+$/m);
  assert.match(text, /^handoffs_delivered_total\{source="bland"\} \d+$/m);
  assert.match(text, /^handoff_time_to_visible_seconds_count \d+$/m);
  assert.match(text, /^# TYPE handoff_queue_depth gauge$/m);
});

test('jobs: list, show and retry through the CLI on the same store', async () => {
  await service.close();
  const file = path.join(dataDir, '..', `cfg-${path.basename(dataDir)}.json`);
  writeFileSync(file, JSON.stringify(config));
  const cli = (...args) => spawnSync(process.execPath, [path.resolve('node/cli.js'), 'jobs', ...args, '--config', file], { encoding: 'utf8', timeout: 120_000 });
  const list = cli('list');
  assert.equal(list.status, 0, list.stderr);
  const { jobs } = JSON.parse(list.stdout);
  const bland = jobs.find((j) => j.source === 'bland');
  assert.ok(bland && bland.state === 'delivered', list.stdout.slice(0, 500));
  const show = cli('show', 'bland', bland.call_id);
  assert.equal(show.status, 0, show.stderr);
  assert.ok(JSON.parse(show.stdout).deliveries.length >= 1);
  const retry = cli('retry', 'bland', bland.call_id);
  assert.equal(retry.status, 0, retry.stderr);
  assert.match(retry.stderr, /queued 1 handoff/);
  assert.equal(cli('show').status, 2, 'show without SOURCE CALL_ID is bad input');
  service = await startService({ overrides: config });  // for test.after
});
