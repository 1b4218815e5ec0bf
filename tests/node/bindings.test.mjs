// The two backends are two bindings of one core: for the same call they must answer the same bytes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { loadBackend } = require('../../node/lib/backends.js');

const backends = ['native', 'wasm'].map((name) => loadBackend(name));

test('both backends load, each from its own kind of file', () => {
  assert.deepEqual(backends.map((b) => b.name), ['native', 'wasm']);
  assert.match(backends[0].path, /\.node$/);
  assert.match(backends[1].path, /\.cjs$/);
});

test('call errors are JSON results with a code, identical on both backends', () => {
  for (const [op, args, code] of [['nope', [], 'unknown_operation'], ['parse', ['vapi'], 'bad_arguments']]) {
    const out = backends.map((b) => b.call(op, args));
    assert.equal(out[0], out[1]);
    assert.equal(JSON.parse(out[0]).error.code, code);
  }
});

test('bytes pass through untouched: strings and Buffers with non-ASCII and NUL give the same result', () => {
  const body = Buffer.from('{"t":"caf\u00e9 \u{1F600} \u0000"}', 'utf8');
  for (const b of backends) assert.equal(b.call('parse', ['canonical', body]), b.call('parse', ['canonical', body.toString('utf8')]));
  assert.equal(backends[0].call('parse', ['canonical', body]), backends[1].call('parse', ['canonical', body]));
});
