// The executor's store writes (docs/plan.md §2 rule 2): progress is written ahead of every
// non-idempotent request, not before idempotent ones, and a process that dies anywhere in between
// leaves progress from which a second attempt finishes with nothing created twice.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { core, fixture, serviceConfig, withSandbox, sandboxApi, conversationsFor } from './support/service-harness.mjs';

const require = createRequire(import.meta.url);
const { deliverHandoff } = require('../../node/service/executor.js');
const { createZendeskClient } = require('../../node/service/zendesk-client.js');

const DIED = 'died before request';

// One delivery attempt with a recording store and a client that can die before a given request.
async function attempt(sandbox, job, { dieBefore = -1 } = {}) {
  const config = serviceConfig(sandbox);
  const client = createZendeskClient(config.zendesk, { timeoutMs: 5_000 });
  const saved = [];
  const sent = [];
  let stored = structuredClone(job.progress || {});
  const zendesk = {
    ...client,
    request: async (r) => {
      if (sent.length === dieBefore) throw new Error(`${DIED} ${dieBefore}`);
      sent.push({ method: r.method, path: r.path, storedInFlight: stored.inFlight, savesBefore: saved.length });
      return client.request(r);
    },
  };
  const saveProgress = async (progress) => { stored = structuredClone(progress); saved.push(stored); };
  try {
    await deliverHandoff({ core, zendesk, config, job: { ...job, progress: structuredClone(job.progress || {}) }, saveProgress });
    return { died: false, saved, sent, stored };
  } catch (err) {
    if (!String(err.message).includes(DIED)) throw err;
    return { died: true, saved, sent, stored };  // what a killed process leaves: only what was saved
  }
}

const handoffOf = (source, file, callId) => {
  const parsed = core.parse(source, fixture(file));
  assert.ok(parsed.handoff, JSON.stringify(parsed.errors));
  return { ...parsed.handoff, call_id: callId, caller: { ...parsed.handoff.caller, phone: `+1555${String(Math.abs(hash(callId))).padStart(7, '0').slice(0, 7)}` } };
};
const hash = (s) => [...s].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7);

test('progress is written ahead of every non-idempotent request and not before idempotent ones', async () => {
  const sandbox = await withSandbox();
  try {
    const job = { source: 'vapi', call_id: 'exec-writes-1', handoff: handoffOf('vapi', 'vapi/long-40.json', 'exec-writes-1') };
    const run = await attempt(sandbox, job);
    assert.equal(run.died, false);
    const plan = core.plan(job.handoff, serviceConfig(sandbox).handoff, {});
    const ids = plan.requests.map((r) => r.id);
    // A first-time caller: search, create (no find first), conversation, control, messages, handoff.
    assert.deepEqual(ids.slice(0, 4), ['search-caller', 'create-user', 'create-conversation', 'pass-control-to-integration']);
    assert.equal(run.sent.length, ids.length);
    const idempotent = new Map(plan.requests.map((r, k) => [k, r.idempotent]));
    run.sent.forEach((s, k) => {
      const writes = s.savesBefore - (k === 0 ? 0 : run.sent[k - 1].savesBefore);
      if (idempotent.get(k)) {
        assert.equal(writes, 0, `no store write before ${ids[k]}`);
      } else {
        assert.equal(writes, 1, `one store write before ${ids[k]}`);
        assert.equal(s.storedInFlight, ids[k], `${ids[k]} is written ahead`);
      }
    });
    // One write per non-idempotent request (its write-ahead, holding the answers before it) + the end.
    const nonIdempotent = plan.requests.filter((r) => !r.idempotent).length;
    assert.equal(run.saved.length, nonIdempotent + 1);
    assert.equal(run.stored.handoff.passed, true);
    assert.equal(run.stored.inFlight, undefined);
  } finally {
    await sandbox.close();
  }
});

test('a process that dies before any request resumes from what it saved: one user, one conversation, every message once', async () => {
  const sandbox = await withSandbox();
  try {
    const base = handoffOf('vapi', 'vapi/long-40.json', 'exec-die-0');
    const total = core.plan(base, serviceConfig(sandbox).handoff, {}).requests.length;
    for (let dieBefore = 1; dieBefore < total; dieBefore++) {
      const callId = `exec-die-${dieBefore}`;
      const job = { source: 'vapi', call_id: callId, handoff: handoffOf('vapi', 'vapi/long-40.json', callId) };
      const first = await attempt(sandbox, job, { dieBefore });
      assert.equal(first.died, true);
      const second = await attempt(sandbox, { ...job, progress: first.stored });
      assert.equal(second.died, false, `after dying before request ${dieBefore}`);
      assert.equal(second.stored.handoff.passed, true);
      const conversations = await conversationsFor(sandbox, callId);
      assert.equal(conversations.length, 1, `one conversation after dying before request ${dieBefore}`);
      const { conversation } = await sandboxApi(sandbox, `conversations/${conversations[0].id}`);
      const parts = conversation.messages.filter((m) => m.metadata && m.metadata.phone_handoff_call_id === callId)
        .map((m) => `${m.metadata.phone_handoff_kind}:${m.metadata.phone_handoff_part || 0}`);
      assert.equal(new Set(parts).size, parts.length, `no message twice after dying before request ${dieBefore}: ${parts}`);
      const { messaging } = await sandboxApi(sandbox, 'users');
      assert.equal(messaging.filter((u) => u.externalId === `phone:${job.handoff.caller.phone}`).length, 1);
    }
  } finally {
    await sandbox.close();
  }
});
