// node/browser.mjs (the "browser" export condition) run under Node, the way a bundler resolves
// it: the ES wasm build, the same API after `await init()`, the same answers as the Node entry.
// Node cannot fetch file:// URLs, so the .wasm bytes are handed over with `wasmBinary`, an
// option browsers do not need.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as browser from '../../node/browser.mjs';

const require = createRequire(import.meta.url);
const nodeApi = require('../../node/index.js');
const root = fileURLToPath(new URL('../../', import.meta.url));
const webDir = ['dist/wasm/web', 'build/wasm/dist/web'].map((d) => path.join(root, d))
  .find((d) => existsSync(path.join(d, 'phone_handoff.mjs')));
const wasmBinary = readFileSync(path.join(webDir, 'phone_handoff.wasm'));

const answer = (fn) => { try { return { result: fn() }; } catch (err) { return { code: err.code, message: err.message }; } };

test('before init() every operation says to await init(); static lists are there already', () => {
  assert.throws(() => browser.parse('vapi', '{}'), { message: /call `await init\(\)` before using the API/ });
  assert.equal(browser.backend, null);
  assert.deepEqual(browser.operations, nodeApi.operations);
  assert.deepEqual(browser.sources, nodeApi.sources);
});

test('init() with a module that is not there rejects, lists the attempt, and can be retried', async () => {
  const missing = pathToFileURL(path.join(root, 'no-such-dir', 'phone_handoff.mjs'));
  await assert.rejects(browser.init({ moduleUrl: missing, wasmBinary }), (err) => {
    assert.equal(err.code, 'ERR_PHONE_HANDOFF_BACKEND');
    assert.equal(err.attempts.length, 1);
    assert.ok(err.attempts[0].startsWith(`${missing}: `));
    return true;
  });
  assert.equal(browser.backend, null);
});

test('after init() the browser entry answers like the Node entry, on every fixture', async () => {
  await browser.init({ wasmBinary });
  assert.equal(browser.backend.name, 'wasm');
  assert.match(browser.backend.path, /^file:.*\/phone_handoff\.mjs$/);
  assert.equal(browser.version, nodeApi.version);
  assert.equal(browser.init({ wasmBinary }), browser.init(), 'init() is idempotent');

  const fixturesDir = path.join(root, 'tests', 'fixtures');
  let compared = 0;
  for (const source of nodeApi.sources) {
    const dir = path.join(fixturesDir, source);
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir)) {
      const body = readFileSync(path.join(dir, file));
      for (const op of ['parse', 'diagnose']) {
        assert.deepEqual(answer(() => browser[op](source, body)), answer(() => nodeApi[op](source, body)), `${op} ${file}`);
        compared++;
      }
    }
  }
  assert.ok(compared > 0);
  assert.throws(() => browser.parse('vpai', '{}'), { name: 'TypeError', message: /source must be one of/ });
});
