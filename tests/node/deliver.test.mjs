// deliver (body in, Sunshine plan out, one call) gives byte-identical results on the native and
// WebAssembly backends for every fixture of every source and a few configurations, and is what
// parse followed by plan gives. Both backends must load: a missing build fails this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { loadBackend } = require('../../node/lib/backends.js');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixturesDir = path.join(root, 'tests', 'fixtures');
const SOURCES = ['canonical', 'vapi', 'retell', 'elevenlabs', 'bland'];

const fixtures = SOURCES.flatMap((source) => readdirSync(path.join(fixturesDir, source))
  .filter((name) => name.endsWith('.json'))
  .map((name) => ({ source, name, body: readFileSync(path.join(fixturesDir, source, name)) })));

const CONFIGS = [
  '',
  JSON.stringify({ transcriptStyle: 'per-turn', matchCallers: true, ticketFields: { call_id: 360002, custom: { order_id: 360009 } } }),
  JSON.stringify({ redaction: false, sunshine: { multiConversations: false } }),
];
const PROGRESS = JSON.stringify({ user: { lookup: 'found', externalId: 'phone:+15550009999' }, conversation: { id: 'c1' }, messages: { 1: 'm1' } });

test('deliver: native and wasm agree byte for byte on every fixture', () => {
  const native = loadBackend('native');
  const wasm = loadBackend('wasm');
  assert.ok(fixtures.length >= 30, `only ${fixtures.length} fixtures found`);
  let planned = 0;
  for (const { source, name, body } of fixtures) {
    for (const config of CONFIGS) {
      for (const progress of ['{}', PROGRESS]) {
        const args = [source, body, config, progress];
        const fromNative = native.call('deliver', args);
        assert.equal(wasm.call('deliver', args), fromNative, `${source}/${name} with config ${config || '(defaults)'}`);
        const result = JSON.parse(fromNative);
        assert.equal(result.error, undefined, `${source}/${name}: ${fromNative.slice(0, 300)}`);
        if (result.plan) planned++;
        else assert.ok(Array.isArray(result.errors), `${source}/${name}: neither a plan nor errors`);
      }
    }
  }
  assert.ok(planned >= 20 * CONFIGS.length * 2, `only ${planned} plans`);
});

test('deliver: the plan is what plan() gives for parse\'s handoff, the warnings are parse\'s', () => {
  for (const backendName of ['native', 'wasm']) {
    const backend = loadBackend(backendName);
    for (const { source, name, body } of fixtures) {
      const parsed = JSON.parse(backend.call('parse', [source, body]));
      const delivered = backend.call('deliver', [source, body, CONFIGS[1], PROGRESS]);
      if (!parsed.handoff) {
        assert.deepEqual(JSON.parse(delivered), parsed, `${backendName} ${source}/${name}`);
        continue;
      }
      const planned = backend.call('plan', [JSON.stringify(parsed.handoff), CONFIGS[1], PROGRESS]);
      const expected = `{"plan":${planned},"warnings":${JSON.stringify(parsed.warnings)}}`;
      assert.equal(delivered, expected, `${backendName} ${source}/${name}`);
    }
  }
});

test('deliver through the package API: validated arguments, decoded result', () => {
  const api = require('../../node/index.js');
  const body = readFileSync(path.join(fixturesDir, 'vapi', 'end-of-call-report.json'), 'utf8');
  const result = api.deliver('vapi', body, { transcriptStyle: 'per-turn' }, {}, { defaultCountryCode: '1' });
  assert.ok(Array.isArray(result.plan.requests) && result.plan.requests.length > 0);
  assert.ok(Array.isArray(result.warnings));
  assert.deepEqual(api.deliver('vapi', JSON.parse(body)), { plan: api.plan(api.parse('vapi', body).handoff), warnings: api.parse('vapi', body).warnings });
  assert.throws(() => api.deliver('teams', body), /deliver\(source, body\): source must be one of/);
  assert.throws(() => api.deliver('vapi', body, { transcriptStyle: 'sideways' }), { code: 'ERR_PHONE_HANDOFF_BAD_CONFIG' });
  assert.ok(Array.isArray(api.deliver('vapi', '{"message":{}}').errors));
});
