// The webhook service end to end, over real HTTP: a signed delivery from each platform goes in at
// /webhooks/<source>; the service verifies it, stores it, and its workers deliver it to the sandbox
// Zendesk until Agent Workspace opens a ticket. We check what a rep would see.
import test from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const core = require('../../node/index.js');
const { startService } = require('../../node/service/index.js');

const fixture = (p) => readFileSync(new URL(`../fixtures/${p}`, import.meta.url));
const SHORT_CALLS = {
  canonical: 'canonical/short-call.json',
  vapi: 'vapi/end-of-call-report.json',
  retell: 'retell/call-ended.json',
  elevenlabs: 'elevenlabs/post-call-transcription.json',
  bland: 'bland/post-call.json',
};

async function post(service, source, body, { secret = service.config.sources[source].secrets[0], tamper = false } = {}) {
  const { headers } = core.sign(source, body, { ...service.config.sources[source], secrets: [secret] }, Date.now());
  const sent = tamper ? Buffer.concat([body, Buffer.from(' ')]) : body;
  const res = await fetch(`${service.url}/webhooks/${source}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: sent });
  return { status: res.status, body: await res.json() };
}

async function waitFor(what, fn, { timeoutMs = 20_000 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const sandboxJson = async (service, path) => (await fetch(`${service.sandbox.url}/sandbox/api/${path}`)).json();

async function ticketFor(service, callId) {
  const { tickets } = await sandboxJson(service, 'tickets');
  return tickets.find((t) => JSON.stringify(t).includes(callId));
}

let service;
test.before(async () => {
  service = await startService({ sandbox: true, overrides: { port: 0, logLevel: 'silent', delivery: { pollMs: 20, baseDelayMs: 50, maxDelayMs: 500 } } });
});
test.after(async () => { await service.close(); });

for (const [source, file] of Object.entries(SHORT_CALLS)) {
  test(`${source}: a signed delivery becomes an Agent Workspace ticket with tags, summary and every turn`, async () => {
    const body = fixture(file);
    const expected = core.parse(source, body).handoff;
    const res = await post(service, source, body);
    assert.equal(res.status, 202, JSON.stringify(res.body));
    assert.equal(res.body.callId, expected.call_id);
    const ticket = await waitFor('the ticket', () => ticketFor(service, expected.call_id));
    assert.ok(ticket.tags.includes('opencx_channel_phone'), ticket.tags.join(','));
    assert.ok(ticket.tags.includes('opencx_handedoff'));
    assert.ok(ticket.tags.includes(`opencx_handoff_${expected.handoff.mode}`));
    const shown = ticket.messages.map((m) => (m.content && m.content.text) || '').join('\n');
    for (const turn of expected.transcript) {
      // Every turn is on the ticket (text redacted for cards; compare a digit-free prefix).
      const probe = turn.text.replace(/\d.*/s, '').slice(0, 40).trim();
      if (probe) assert.ok(shown.includes(probe), `turn missing from the ticket: ${probe}`);
    }
    const [row] = await service.store.query('select state, visible_at from handoffs where source = $1 and call_id = $2', [source, expected.call_id]);
    assert.equal(row.state, 'delivered');
  });
}

test('a delivery with a wrong signature is refused with 401 and nothing is stored', async () => {
  const body = fixture(SHORT_CALLS.retell);
  const before = await service.store.query('select count(*)::int as n from deliveries');
  const wrong = await post(service, 'retell', body, { secret: 'not-the-secret' });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error, 'signature_mismatch');
  const tampered = await post(service, 'retell', body, { tamper: true });
  assert.equal(tampered.status, 401);
  const after = await service.store.query('select count(*)::int as n from deliveries');
  assert.equal(after[0].n, before[0].n);
});

test('an invalid payload is kept for inspection and answered with its errors', async () => {
  const body = fixture('vapi/missing-call-id.json');
  const res = await post(service, 'vapi', body);
  assert.equal(res.status, 422);
  assert.ok(res.body.errors.length > 0);
  const [row] = await service.store.query('select status, errors from deliveries where id = $1', [res.body.deliveryId]);
  assert.equal(row.status, 'rejected');
});

test('50 concurrent copies of one delivery make one conversation', async () => {
  const body = fixture('bland/long-40.json');
  const callId = core.parse('bland', body).handoff.call_id;
  const results = await Promise.all(Array.from({ length: 50 }, () => post(service, 'bland', body)));
  assert.deepEqual([...new Set(results.map((r) => r.status))], [202]);
  await waitFor('the ticket', () => ticketFor(service, callId));
  await waitFor('delivery', async () => (await service.store.query(`select state from handoffs where call_id = $1`, [callId]))[0].state === 'delivered');
  const { conversations } = await sandboxJson(service, 'conversations');
  const mine = conversations.filter((c) => c.metadata && c.metadata.phone_handoff_call_id === callId);
  assert.equal(mine.length, 1);
});
