// The native addon converts JS strings to UTF-8 and its results back to JS strings itself
// (bindings/node/utf16.hpp), not through napi's UTF-8 functions. Whatever the text, a string
// argument must give exactly what the same text as UTF-8 bytes (Buffer.from, V8's own encoder)
// gives, and the result must be the string V8 would decode; wasm, which converts in JS, must agree.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { loadBackend } = require('../../node/lib/backends.js');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = (name) => readFileSync(path.join(root, 'tests', 'fixtures', name), 'utf8');
const LONG = { canonical: 'canonical/long-call-400-turns.json', vapi: 'vapi/long-400.json', retell: 'retell/long-400.json',
  elevenlabs: 'elevenlabs/long-400.json', bland: 'bland/long-400.json' };

// Deterministic pseudo-random numbers (the test must fail the same way twice).
function generator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// Text with every kind of UTF-16 the conversion treats differently: ASCII runs (the 4-unit fast
// path and its tail), Latin-1, BMP, astral pairs, lone high and low surrogates, a high surrogate
// at the very end, NUL and control characters.
function randomText(random, length) {
  const pieces = ['a', 'plain words ', '"', '\\', '\u0000', '\n', '\u007f', '\u0080', 'é', 'ÿ', 'Ω', '€', '中文',
    '\u{1F600}', '\u{10FFFF}', '\uD800', '\uDBFF', '\uDC00', '\uDFFF', '\uFFFD', '\uFEFF', '4111 1111 1111 1111'];
  let text = '';
  while (text.length < length) text += pieces[Math.floor(random() * pieces.length)];
  return random() < 0.3 ? `${text}\uD83D` : text;
}

// A canonical handoff whose caller name, summary and turn texts carry `text` raw (not \u-escaped:
// JSON.stringify would escape lone surrogates), so the bytes the core reads come from the binding.
function handoffWith(text) {
  const raw = (s) => `"${s.replace(/[\\"\u0000-\u001f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}"`;
  return `{"version":1,"call_id":"call_strings","session_id":"s1","caller":{"name":${raw(text.slice(0, 40))},"phone":"+15550009999"},`
    + `"handoff":{"mode":"logged_escalation","summary":${raw(text)}},`
    + `"transcript":[{"speaker":"caller","text":${raw(text)}},{"speaker":"ai","text":${raw(text.slice(7))}}],`
    + `"custom_fields":{${raw(text.slice(0, 12))}:${raw(text.slice(3, 30))}}}`;
}

test('a string argument reads as its UTF-8 bytes would (lone surrogates as U+FFFD), on every 400-turn body', () => {
  const native = loadBackend('native');
  for (const [source, name] of Object.entries(LONG)) {
    const body = fixture(name);
    assert.equal(native.call('deliver', [source, body]), native.call('deliver', [source, Buffer.from(body)]), source);
  }
});

test('strings with every kind of UTF-16: string == Buffer on native, and native == wasm', () => {
  const native = loadBackend('native');
  const wasm = loadBackend('wasm');
  const random = generator(20261124);
  let nonAscii = 0;
  for (let i = 0; i < 300; ++i) {
    const body = handoffWith(randomText(random, 1 + Math.floor(random() * 200)));
    const bytes = Buffer.from(body);
    for (const op of ['parse', 'deliver']) {
      const fromString = native.call(op, ['canonical', body]);
      assert.equal(fromString, native.call(op, ['canonical', bytes]), `${op} #${i}`);
      // wasm gets the bytes: its own string conversion is not what is tested here.
      assert.equal(fromString, wasm.call(op, ['canonical', bytes]), `${op} #${i} native vs wasm`);
      if (/[^\x00-\x7f]/.test(fromString)) nonAscii += 1;
    }
  }
  assert.ok(nonAscii > 100, `only ${nonAscii} results carried non-ASCII text back`);
});

test('plain ASCII and empty strings, and config arguments given as strings', () => {
  const native = loadBackend('native');
  const wasm = loadBackend('wasm');
  const body = handoffWith('just ASCII text, nothing else');
  const config = JSON.stringify({ aiDisplayName: 'Agent Ω \u{1F600}', extraTags: ['vip_line'] });
  const answer = native.call('deliver', ['canonical', body, config, '{}']);
  assert.equal(answer, wasm.call('deliver', ['canonical', Buffer.from(body), Buffer.from(config), Buffer.from('{}')]));
  assert.match(answer, /Agent Ω \u{1F600}/u);
  assert.equal(native.call('parse', ['canonical', '']), wasm.call('parse', ['canonical', '']));
});
