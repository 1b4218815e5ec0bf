// Every Sunshine Conversations request the plan can emit, for every source fixture, checked
// against the official OpenAPI spec: the path template exists with that method, and the body
// validates against the operation's requestBody schema. The spec lives outside the repo
// (../shared/…, never copied in); without it this test FAILS, it does not skip.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

import { loadSunshineSpec } from './support/openapi.mjs';

const require = createRequire(import.meta.url);
const { loadBackend } = require('../../node/lib/backends.js');

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixturesDir = path.join(repoRoot, 'tests', 'fixtures');
const SOURCES = ['canonical', 'vapi', 'retell', 'elevenlabs', 'bland'];

// Checks one planned request against the spec: "/sc/v2/…" path template and method exist, and
// the body validates against the operation's requestBody schema. Returns "METHOD template".
function checkRequest({ validate, operation }, request, where) {
  assert.ok(request.path.startsWith('/sc/v2/'), `Sunshine paths start with /sc/v2/: ${request.path}`);
  const found = operation(request.method, request.path.slice('/sc'.length));
  assert.ok(found, `${where}: ${request.method} ${request.path} is not in the spec`);
  const { template, op } = found;
  const bodySpec = op.requestBody?.content?.['application/json'];
  if (request.body === null) {
    assert.ok(!op.requestBody?.required, `${where}: ${request.method} ${template} needs a body`);
    return `${request.method} ${template}`;
  }
  assert.ok(bodySpec, `${where}: ${request.method} ${template} takes no JSON body`);
  const problem = validate(bodySpec.schema, request.body);
  assert.equal(problem, null, `${where}: ${request.method} ${request.path} body does not match the spec:\n${String(problem).slice(0, 2000)}`);
  return `${request.method} ${template}`;
}

// Every request a plan step can send: the request itself and, for non-idempotent ones, its probe.
function* sunshineRequests(plan) {
  for (const request of plan.requests) {
    if (request.api === 'sunshine') yield request;
    if (request.probe?.api === 'sunshine') yield { method: 'GET', path: request.probe.path, body: null, id: `${request.id}#probe` };
  }
}

function fixtureHandoffs(backend) {
  const handoffs = [];
  for (const source of SOURCES) {
    const dir = path.join(fixturesDir, source);
    assert.ok(fs.existsSync(dir), `fixture folder missing: ${dir}`);
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
      const parsed = JSON.parse(backend.call('parse', [source, fs.readFileSync(path.join(dir, file))]));
      // Fixtures that are deliberately invalid produce errors, not a handoff: nothing to plan.
      if (parsed.handoff) handoffs.push({ name: `${source}/${file}`, handoff: JSON.stringify(parsed.handoff) });
    }
  }
  return handoffs;
}

// Progress states that bring out the requests a fresh plan does not show.
const LATER_STATES = [
  // Caller matched; the conversation was refused as a limit: list and reuse.
  { callerSearch: { done: true, count: 1, id: 424242 }, user: { lookup: 'created', externalId: 'phone:+15550009999' },
    conversation: { refusedStatus: 409, refusedCode: 'conflict', refusedTitle: 'Conversation limit' } },
  // Handed off: read the linked Support user, then merge and sync.
  { callerSearch: { done: true, count: 1, id: 424242 }, user: { lookup: 'created', externalId: 'phone:+15550009999' },
    conversation: { created: true, id: '5f0c2e8b1a2b3c4d5e6f7a8b' }, control: { ownIntegration: true },
    firstMessageId: '5f0c2e8b1a2b3c4d5e6f7a8c', handoff: { passed: true }, messages: 'all' },
  { callerSearch: { done: true, count: 1, id: 424242 }, user: { lookup: 'found', externalId: 'phone:+15550009999' },
    conversation: { created: true, id: '5f0c2e8b1a2b3c4d5e6f7a8b' }, control: { ownIntegration: true },
    handoff: { passed: true }, supportLink: { checks: 1, zendeskId: '9001' }, merge: { status: 'merged' } },
  // An update after the handoff: a changed summary goes to the same conversation.
  { user: { lookup: 'found', externalId: 'phone:+15550009999' },
    conversation: { created: true, id: '5f0c2e8b1a2b3c4d5e6f7a8b' }, control: { ownIntegration: true },
    handoff: { passed: true }, delivered: { summary: '0000000000000000', ticketFields: '0000000000000000' } },
];

const CONFIGS = [
  {},
  { matchCallers: true, transcriptStyle: 'per-turn' },
  { sunshine: { multiConversations: false, userExternalIdPrefix: 'tel:' }, ticketFields: { call_id: 360002 } },
];

test('every Sunshine request the plan emits for every fixture matches the OpenAPI spec', () => {
  const spec = loadSunshineSpec();
  const backend = loadBackend();
  const handoffs = fixtureHandoffs(backend);
  assert.ok(handoffs.length >= 15, `expected the source fixtures to give at least 15 handoffs, got ${handoffs.length}`);
  const seen = new Set();
  let checked = 0;
  for (const { name, handoff } of handoffs) {
    for (const config of CONFIGS) {
      const progressStates = [{}, ...LATER_STATES];
      for (const state of progressStates) {
        // messages: 'all' stands for "every rendered message posted"; expand it per handoff.
        const progress = structuredClone(state);
        if (state.messages === 'all') {
          const fresh = JSON.parse(backend.call('plan', [handoff, JSON.stringify(config), '{}']));
          progress.messages = Object.fromEntries(fresh.requests.filter((r) => r.id.startsWith('post-message-'))
            .map((r) => [r.id.slice('post-message-'.length), 'posted']));
        }
        const where = `${name} config=${JSON.stringify(config)} progress=${JSON.stringify(Object.keys(progress))}`;
        const plan = JSON.parse(backend.call('plan', [handoff, JSON.stringify(config), JSON.stringify(progress)]));
        assert.ok(Array.isArray(plan.requests), `${where}: ${JSON.stringify(plan).slice(0, 500)}`);
        for (const request of sunshineRequests(plan)) {
          seen.add(checkRequest(spec, request, `${where} ${request.id}`));
          checked += 1;
        }
      }
    }
  }
  // The walk must have reached every kind of Sunshine request the plan makes.
  for (const expected of [
    'GET /v2/apps/{appId}/users/{userIdOrExternalId}',
    'POST /v2/apps/{appId}/users',
    'POST /v2/apps/{appId}/conversations',
    'GET /v2/apps/{appId}/conversations',
    'GET /v2/apps/{appId}/conversations/{conversationId}',
    'POST /v2/apps/{appId}/conversations/{conversationId}/passControl',
    'POST /v2/apps/{appId}/conversations/{conversationId}/messages',
    'GET /v2/apps/{appId}/conversations/{conversationId}/messages',
    'POST /v2/apps/{appId}/users/{zendeskId}/sync',
  ]) assert.ok(seen.has(expected), `no plan produced ${expected} (saw: ${[...seen].join(', ')})`);
  assert.ok(checked > 1000, `checked only ${checked} requests`);
});

test('the spec check itself rejects what Sunshine would reject', () => {
  const spec = loadSunshineSpec();
  const good = { method: 'POST', path: '/sc/v2/apps/{appId}/conversations/abc/messages', body: {
    author: { type: 'business' }, content: { type: 'text', text: 'hi' }, destination: { integrationType: 'none' } } };
  checkRequest(spec, good, 'good');
  const tooLong = structuredClone(good);
  tooLong.body.content.text = 'x'.repeat(4097);
  assert.throws(() => checkRequest(spec, tooLong, 'too long'), /does not match the spec/);
  const badAuthor = structuredClone(good);
  badAuthor.body.author.type = 'bot';
  assert.throws(() => checkRequest(spec, badAuthor, 'bad author'), /does not match the spec/);
  const sponsored = { method: 'POST', path: '/sc/v2/apps/{appId}/conversations', body: { type: 'sponsored' } };
  assert.throws(() => checkRequest(spec, sponsored, 'sponsored'), /does not match the spec/);
  assert.throws(() => checkRequest(spec, { method: 'DELETE', path: '/sc/v2/apps/{appId}/users', body: null }, 'delete'),
    /not in the spec/);
  assert.throws(() => checkRequest(spec, { method: 'GET', path: '/sc/v2/apps/{appId}/nope', body: null }, 'nope'),
    /not in the spec/);
});
