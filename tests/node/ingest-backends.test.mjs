// Native and WebAssembly give byte-identical parse and diagnose results for every fixture of
// every source, so fixtures added later by any area are covered without touching this file.
// Both backends must load: a missing build fails this test rather than skipping it.
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
const SOURCES = new Set(['canonical', 'vapi', 'retell', 'elevenlabs', 'bland']);

// Every *.json file whose directory is named after a source, at any depth.
function sourceFixtures(dir) {
  const found = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourceFixtures(full));
    else if (entry.name.endsWith('.json') && SOURCES.has(path.basename(dir))) {
      found.push({ source: path.basename(dir), file: full });
    }
  }
  return found.sort((a, b) => a.file.localeCompare(b.file));
}

const fixtures = sourceFixtures(fixturesDir);

test('both backends load', () => {
  for (const name of ['native', 'wasm']) assert.equal(loadBackend(name).name, name);
});

test('there are fixtures for the canonical source at least', () => {
  assert.ok(fixtures.filter((f) => f.source === 'canonical').length >= 6, 'canonical fixtures missing');
});

for (const { source, file } of fixtures) {
  test(`${path.relative(fixturesDir, file)}: parse and diagnose agree byte for byte`, () => {
    const native = loadBackend('native');
    const wasm = loadBackend('wasm');
    const body = readFileSync(file);  // bytes: invalid UTF-8 fixtures must reach the core as-is
    for (const operation of ['parse', 'diagnose']) {
      const fromNative = native.call(operation, [source, body]);
      const fromWasm = wasm.call(operation, [source, body]);
      assert.equal(fromWasm, fromNative, `${operation} differs between backends`);
      const result = JSON.parse(fromNative);
      assert.equal(result.error, undefined, `${operation} reported a usage error: ${fromNative}`);
      assert.ok(operation === 'parse' ? (result.handoff || result.errors) : Array.isArray(result.findings));
    }
  });
}

test('a handoff round-trips through parse on both backends', () => {
  for (const name of ['native', 'wasm']) {
    const backend = loadBackend(name);
    for (const { source, file } of fixtures) {
      const first = JSON.parse(backend.call('parse', [source, readFileSync(file)]));
      if (!first.handoff) continue;
      const again = JSON.parse(backend.call('parse', ['canonical', JSON.stringify(first.handoff)]));
      assert.deepEqual(again.handoff, first.handoff, `${name}: ${path.relative(fixturesDir, file)}`);
    }
  }
});

test('every parsed handoff and every valid canonical fixture matches docs/handoff.schema.json', () => {
  const Ajv2020 = require('ajv/dist/2020').default;
  const addFormats = require('ajv-formats').default;
  const ajv = new Ajv2020({ allErrors: true, strict: true, allowUnionTypes: true });
  addFormats(ajv);
  const validate = ajv.compile(JSON.parse(readFileSync(path.join(root, 'docs', 'handoff.schema.json'), 'utf8')));
  const backend = loadBackend('native');
  let checked = 0;
  for (const { source, file } of fixtures) {
    const result = JSON.parse(backend.call('parse', [source, readFileSync(file)]));
    if (!result.handoff) continue;
    assert.ok(validate(result.handoff), `${path.relative(fixturesDir, file)}: ${ajv.errorsText(validate.errors)}`);
    if (source === 'canonical') {
      const posted = JSON.parse(readFileSync(file, 'utf8'));
      assert.ok(validate(posted), `${path.relative(fixturesDir, file)} as posted: ${ajv.errorsText(validate.errors)}`);
    }
    checked++;
  }
  assert.ok(checked >= 3);
  // The schema rejects what parse rejects, for the canonical malformed fixture.
  assert.equal(validate(JSON.parse(readFileSync(path.join(fixturesDir, 'canonical', 'wrong-types.json'), 'utf8'))), false);
});
