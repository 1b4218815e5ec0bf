// Native and wasm must give byte-identical results: every operation, fed every fixture under
// tests/fixtures/** (whatever exists when the test runs), compared as raw JSON text.
// Fixtures are used in every argument position an operation has; a fixture that parses becomes a
// handoff for the operations that take one, and fixtures that look like configurations are
// combined with those handoffs. Core errors are results here too: they must match as well.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { loadBackend } = require('../../node/lib/backends.js');
const { SOURCES } = require('../../node/lib/api.js');

const fixturesDir = fileURLToPath(new URL('../fixtures/', import.meta.url));
const CONFIG_KEYS = ['tagPrefix', 'extraTags', 'transcriptStyle', 'ticketFields', 'redaction', 'agents', 'sunshine', 'matchCallers'];
const NOW = 1767225600000;  // 2026-01-01T00:00:00Z, as the core takes it: Unix milliseconds
// Signing credentials per source (canonical uses Standard Webhooks whsec_ secrets; Vapi needs
// its scheme named: HMAC exercises the most code).
const authFor = (source) => JSON.stringify({
  secrets: [source === 'canonical' ? `whsec_${Buffer.from('parity test key').toString('base64')}` : 'parity-test-secret'],
  ...(source === 'vapi' ? { auth: { type: 'hmac' } } : {}),
});
// Configurations used on top of any found among the fixtures: none, and one that turns every
// documented option away from its default.
const BUILT_IN_CONFIGS = [
  { name: 'built-in empty config', text: '{}' },
  { name: 'built-in full config', text: JSON.stringify({
    tagPrefix: 'acme', extraTags: ['vip_line'], locale: 'en', transcriptStyle: 'per-turn',
    aiDisplayName: 'Robo', sessionUrlTemplate: 'https://app.example/sessions/{session_id}',
    ticketFields: { session_id: 360001, call_id: 360002, reason: 360003, custom: { order_id: 360009 } },
    redaction: false, matchCallers: false,
    sunshine: { agentWorkspace: 'zd-agentWorkspace', integration: 'phone-handoff', multiConversations: false, userExternalIdPrefix: 'tel:' },
  }) },
];

function listFiles(dir) {
  let entries;
  try { entries = readdirSync(dir); } catch { return []; }
  return entries.sort().flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full) : [full];
  });
}

function tryJson(bytes) {
  try { return JSON.parse(bytes.toString('utf8')); } catch { return undefined; }
}

// Every (operation, args) pair to compare, built from the fixtures on disk.
function buildCases(fixtures, reference) {
  const cases = [];
  const add = (label, operation, args) => cases.push({ label, operation, args });
  const handoffs = [];
  const configs = [...BUILT_IN_CONFIGS];
  for (const file of fixtures) {
    const name = path.relative(fixturesDir, file);
    const body = readFileSync(file);
    const doc = tryJson(body);
    if (doc && typeof doc === 'object' && !Array.isArray(doc) && CONFIG_KEYS.some((k) => k in doc)) {
      configs.push({ name, text: body });
    }
    const dirSource = SOURCES.find((s) => name.split(path.sep).includes(s));
    for (const source of SOURCES) {
      add(`${name} as ${source}`, 'parse', [source, body]);
      add(`${name} as ${source}`, 'diagnose', [source, body]);
      const parsed = JSON.parse(reference.call('parse', [source, body]));
      if (parsed.handoff && (source === dirSource || source === 'canonical')) {
        handoffs.push({ name: `${name} parsed as ${source}`, text: JSON.stringify(parsed.handoff) });
      }
    }
    for (const op of ['redact', 'render', 'plan', 'conversation']) add(name, op, [body]);
    add(name, 'merge', [body, body]);
    const signer = dirSource || 'vapi';
    add(name, 'verify', [signer, `{"headers":{},"now":${NOW}}`, body, authFor(signer)]);
    add(name, 'sign', [signer, body, authFor(signer), String(NOW)]);
    const signed = JSON.parse(reference.call('sign', [signer, body, authFor(signer), String(NOW)]));
    if (signed.headers) {
      add(`${name} signed`, 'verify', [signer, JSON.stringify({ headers: signed.headers, now: NOW }), body, authFor(signer)]);
    }
  }
  for (const h of handoffs) {
    add(h.name, 'redact', [h.text]);
    add(h.name, 'merge', [h.text, h.text]);
    for (const op of ['render', 'plan']) {
      add(h.name, op, [h.text]);
      for (const c of configs) add(`${h.name} with ${c.name}`, op, [h.text, c.text]);
    }
  }
  return { cases, handoffs, configs };
}

test('native and wasm return byte-identical results for every operation on every fixture', (t) => {
  const native = loadBackend('native');
  const wasm = loadBackend('wasm');
  const fixtures = listFiles(fixturesDir);
  const { cases, handoffs, configs } = buildCases(fixtures, native);
  const mismatches = [];
  const answered = {};
  for (const { label, operation, args } of cases) {
    const a = native.call(operation, args);
    const b = wasm.call(operation, args);
    if (a !== b) mismatches.push(`${operation} (${label}):\n  native: ${a.slice(0, 300)}\n  wasm:   ${b.slice(0, 300)}`);
    const kind = JSON.parse(a).error ? `error:${JSON.parse(a).error.code}` : 'result';
    answered[operation] = answered[operation] || {};
    answered[operation][kind] = (answered[operation][kind] || 0) + 1;
  }
  t.diagnostic(`${fixtures.length} fixtures, ${handoffs.length} parsed handoffs, ${configs.length} configs, ${cases.length} calls per backend`);
  for (const [op, kinds] of Object.entries(answered)) t.diagnostic(`${op}: ${JSON.stringify(kinds)}`);
  assert.ok(cases.length >= Object.keys(answered).length, 'the comparison ran');
  assert.deepEqual(mismatches, [], `${mismatches.length} of ${cases.length} calls differ`);
});

test('the same input as a string, a Buffer and a Uint8Array gives the same answer on both backends', () => {
  const native = loadBackend('native');
  const wasm = loadBackend('wasm');
  const text = '{"message":{"type":"end-of-call-report","café":"ü – 😀"}}';
  const bytes = Buffer.from(text);
  const views = [text, bytes, new Uint8Array(bytes), new Uint8Array(Buffer.concat([Buffer.from('xx'), bytes])).subarray(2)];
  const answers = [];
  for (const backend of [native, wasm]) {
    for (const v of views) answers.push(backend.call('parse', ['vapi', v]));
  }
  for (const a of answers) assert.equal(a, answers[0]);
});
