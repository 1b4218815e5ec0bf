// The loader (node/lib/backends.js), run in child processes so each case gets a fresh require
// cache and its own environment: both backends load, PHONE_HANDOFF_BACKEND forces one, a bad
// value is refused, a forced backend that cannot load explains every attempt, and a broken
// native addon falls back to wasm silently when nothing is forced.
// PHONE_HANDOFF_NATIVE_PATH / PHONE_HANDOFF_WASM_PATH (documented in docs/api.md) replace the
// candidate files, which is how a missing or corrupt binary is simulated here.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../../node/index.js', import.meta.url));
const scratch = mkdtempSync(path.join(tmpdir(), 'ph-backends-'));
const corruptAddon = path.join(scratch, 'corrupt.node');
writeFileSync(corruptAddon, 'this is not a shared object');
const missingFile = path.join(scratch, 'missing.node');
test.after(() => rmSync(scratch, { recursive: true, force: true }));

// Loads the package in a child and reports which backend it got, or the error it threw.
function load(env) {
  const script = `
    try {
      const ph = require(${JSON.stringify(entry)});
      const probe = JSON.parse(JSON.stringify(ph.backend));
      console.log(JSON.stringify({ backend: probe, version: ph.version }));
    } catch (err) {
      console.log(JSON.stringify({ error: { message: err.message, code: err.code, attempts: err.attempts } }));
    }`;
  const cleanEnv = { ...process.env };
  for (const k of ['PHONE_HANDOFF_BACKEND', 'PHONE_HANDOFF_NATIVE_PATH', 'PHONE_HANDOFF_WASM_PATH']) delete cleanEnv[k];
  const r = spawnSync(process.execPath, ['-e', script], { env: { ...cleanEnv, ...env }, encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '', 'loading never prints anything');
  return JSON.parse(r.stdout);
}

test('with nothing forced, the native addon is preferred', () => {
  const { backend } = load({});
  assert.equal(backend.name, 'native');
  assert.match(backend.path, /\.node$/);
});

test('PHONE_HANDOFF_BACKEND forces each backend, and both give the same version', () => {
  const native = load({ PHONE_HANDOFF_BACKEND: 'native' });
  const wasm = load({ PHONE_HANDOFF_BACKEND: 'wasm' });
  assert.equal(native.backend.name, 'native');
  assert.equal(wasm.backend.name, 'wasm');
  assert.match(wasm.backend.path, /phone_handoff\.cjs$/);
  assert.equal(native.version, wasm.version);
});

test('an invalid PHONE_HANDOFF_BACKEND is refused with the allowed values', () => {
  const { error } = load({ PHONE_HANDOFF_BACKEND: 'fast' });
  assert.equal(error.code, 'ERR_PHONE_HANDOFF_BACKEND');
  assert.equal(error.message, 'PHONE_HANDOFF_BACKEND must be "native" or "wasm", not "fast"');
});

test('a forced native backend that cannot load lists the attempt and why it failed', () => {
  const corrupt = load({ PHONE_HANDOFF_BACKEND: 'native', PHONE_HANDOFF_NATIVE_PATH: corruptAddon }).error;
  assert.equal(corrupt.code, 'ERR_PHONE_HANDOFF_BACKEND');
  assert.match(corrupt.message, /could not load the forced "native" backend/);
  assert.equal(corrupt.attempts.length, 1);
  assert.match(corrupt.attempts[0], new RegExp(`^native: ${corruptAddon.replace(/[.]/g, '\\.')}: .*(invalid ELF header|file too short)`));
  assert.ok(corrupt.message.includes(corrupt.attempts[0]), 'the message itself explains each attempt');
  assert.match(corrupt.message, /unset PHONE_HANDOFF_BACKEND/);

  const missing = load({ PHONE_HANDOFF_BACKEND: 'native', PHONE_HANDOFF_NATIVE_PATH: missingFile }).error;
  assert.deepEqual(missing.attempts, [`native: ${missingFile}: not found`]);
});

test('with nothing forced, a broken native addon falls back to wasm silently', () => {
  const { backend } = load({ PHONE_HANDOFF_NATIVE_PATH: corruptAddon });
  assert.equal(backend.name, 'wasm');
});

test('when no backend loads at all, every native and wasm attempt is listed', () => {
  const { error } = load({ PHONE_HANDOFF_NATIVE_PATH: corruptAddon, PHONE_HANDOFF_WASM_PATH: path.join(scratch, 'missing.cjs') });
  assert.match(error.message, /could not load any backend/);
  assert.equal(error.attempts.length, 2);
  assert.match(error.attempts[0], /^native: /);
  assert.equal(error.attempts[1], `wasm: ${path.join(scratch, 'missing.cjs')}: not found`);
});

test('a forced wasm backend that cannot load lists the wasm attempt', () => {
  const notAModule = path.join(scratch, 'not-a-module.cjs');
  writeFileSync(notAModule, 'module.exports = 42;');
  const { error } = load({ PHONE_HANDOFF_BACKEND: 'wasm', PHONE_HANDOFF_WASM_PATH: notAModule });
  assert.equal(error.attempts.length, 1);
  assert.match(error.attempts[0], /^wasm: .*not-a-module\.cjs: .*not a function/);
});

test('an addon with an unresolved symbol fails at load (not at its first call) and falls back', (t) => {
  // Built on the spot: a shared object whose init calls a function nothing defines, the way an
  // addon linked against a mismatched core does. Lazy binding would crash the process later.
  const source = path.join(scratch, 'unresolved.c');
  const addon = path.join(scratch, 'unresolved.node');
  writeFileSync(source, 'void phone_handoff_missing_symbol(void);\n'
    + 'void* napi_register_module_v1(void* env, void* exports) { phone_handoff_missing_symbol(); return exports; }\n');
  try {
    execFileSync('cc', ['-shared', '-fPIC', '-o', addon, source], { stdio: 'ignore' });
  } catch {
    t.skip('no C compiler here to build the broken addon');
    return;
  }
  const forced = load({ PHONE_HANDOFF_BACKEND: 'native', PHONE_HANDOFF_NATIVE_PATH: addon }).error;
  assert.match(forced.attempts[0], /undefined symbol: phone_handoff_missing_symbol/);
  assert.equal(load({ PHONE_HANDOFF_NATIVE_PATH: addon }).backend.name, 'wasm');
});
