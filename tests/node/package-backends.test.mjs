// The loader (node/lib/backends.js), run in child processes so each case gets a fresh require
// cache and its own environment: both backends load, PHONE_HANDOFF_BACKEND forces one, a bad
// value is refused, a forced backend that cannot load explains every attempt, and a broken
// native addon falls back to wasm silently when nothing is forced.
// PHONE_HANDOFF_NATIVE_PATH / PHONE_HANDOFF_WASM_PATH (documented in docs/api.md) replace the
// candidate files, which is how a missing or corrupt binary is simulated here. Which file wins
// between the packaged binary and a local build (the newer one) is checked on scratch package
// trees with set modification times.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, rmSync, mkdirSync, copyFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

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
  assert.match(backend.reason, /^the (prebuild for |local build )/, 'says why this file was chosen');
  assert.deepEqual(backend.skipped, []);
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

test('with nothing forced, a broken native addon falls back to wasm silently, and says why', () => {
  const { backend } = load({ PHONE_HANDOFF_NATIVE_PATH: corruptAddon });
  assert.equal(backend.name, 'wasm');
  assert.equal(backend.skipped.length, 1);
  assert.match(backend.skipped[0], new RegExp(`^native: ${corruptAddon.replace(/[.]/g, '\\.')}: .*(invalid ELF header|file too short)`));
  assert.equal(typeof backend.reason, 'string');
  const forced = load({ PHONE_HANDOFF_BACKEND: 'wasm', PHONE_HANDOFF_WASM_PATH: backend.path }).backend;
  assert.equal(forced.reason, 'PHONE_HANDOFF_WASM_PATH names it');
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

// ---- packaged binary or local build: the newer one first --------------------------------------

const require = createRequire(import.meta.url);
const backends = require('../../node/lib/backends.js');
const platformDir = `${process.platform}-${process.arch}`;
const PREBUILD = path.join('prebuilds', platformDir, 'phone-handoff.node');
const LOCAL_NATIVE = path.join('build', 'native', 'phone_handoff.node');
const ADDON_RELEASE = path.join('build', 'addon', 'Release', 'phone_handoff.node');
const PACKAGED_WASM = path.join('dist', 'wasm', 'node', 'phone_handoff.cjs');
const LOCAL_WASM = path.join('build', 'wasm', 'dist', 'node', 'phone_handoff.cjs');
const HOUR = 3600;
const T0 = 1_800_000_000;  // seconds; every tree's files are dated relative to it

// A scratch package root with `files` ({relative: {at: seconds, from?: file to copy}}).
function packageTree(files) {
  const root = mkdtempSync(path.join(scratch, 'tree-'));
  for (const [relative, { at, from }] of Object.entries(files)) {
    const file = path.join(root, relative);
    mkdirSync(path.dirname(file), { recursive: true });
    if (from) copyFileSync(from, file);
    else writeFileSync(file, 'placeholder');
    utimesSync(file, at, at);
  }
  return root;
}
const order = (name, root, env = {}) => backends.candidates(name, { root, env }).map((c) => path.relative(root, c.file));

test('a published package (no build/ directory) loads its own binaries, as before', () => {
  const root = packageTree({ [PREBUILD]: { at: T0 }, [PACKAGED_WASM]: { at: T0 } });
  const native = backends.candidates('native', { root, env: {} });
  assert.equal(native[0].file, path.join(root, PREBUILD));
  assert.equal(native[0].reason, `the prebuild for ${platformDir}`);
  assert.equal(order('wasm', root)[0], PACKAGED_WASM);
});

test('a local build newer than the prebuild goes first, and the reason says so', () => {
  const root = packageTree({ [PREBUILD]: { at: T0 }, [LOCAL_NATIVE]: { at: T0 + HOUR }, [ADDON_RELEASE]: { at: T0 + 2 * HOUR } });
  assert.deepEqual(order('native', root), [ADDON_RELEASE, LOCAL_NATIVE, PREBUILD]);
  const [first] = backends.candidates('native', { root, env: {} });
  assert.equal(first.reason, `the local build ${ADDON_RELEASE} (built 2027-01-15T10:00:00Z), newer than the prebuild for ${platformDir} (built 2027-01-15T08:00:00Z)`);
});

test('a stale local build never shadows a fresher prebuild; it stays a fallback after it', () => {
  const root = packageTree({ [PREBUILD]: { at: T0 + HOUR }, [LOCAL_NATIVE]: { at: T0 } });
  assert.deepEqual(order('native', root), [PREBUILD, LOCAL_NATIVE, ADDON_RELEASE]);
  const [first, second] = backends.candidates('native', { root, env: {} });
  assert.match(first.reason, new RegExp(`^the prebuild for ${platformDir} \\(built .*\\), not older than the local build ${LOCAL_NATIVE.replace(/[./]/g, '\\$&')}`));
  assert.match(second.reason, /older than the prebuild/);
  // A tie (npm run build copies the local build into prebuilds/) keeps the prebuild first.
  const tie = packageTree({ [PREBUILD]: { at: T0 }, [LOCAL_NATIVE]: { at: T0 } });
  assert.equal(order('native', tie)[0], PREBUILD);
});

test('a local build with no prebuild at all goes first; the overrides replace every candidate', () => {
  const root = packageTree({ [LOCAL_WASM]: { at: T0 } });
  const [first] = backends.candidates('wasm', { root, env: {} });
  assert.equal(first.file, path.join(root, LOCAL_WASM));
  assert.match(first.reason, /and there is no packaged WebAssembly module$/);
  const named = path.join(scratch, 'elsewhere.cjs');
  assert.deepEqual(backends.candidates('wasm', { root, env: { PHONE_HANDOFF_WASM_PATH: named } }),
    [{ file: named, reason: 'PHONE_HANDOFF_WASM_PATH names it' }]);
});

test('the wasm binary next to the module counts: a rebuilt .wasm makes its module the newer one', () => {
  const root = packageTree({
    [PACKAGED_WASM]: { at: T0 + HOUR },
    [LOCAL_WASM]: { at: T0 },
    [path.join(path.dirname(LOCAL_WASM), 'phone_handoff.wasm')]: { at: T0 + 2 * HOUR },
  });
  assert.equal(order('wasm', root)[0], LOCAL_WASM);
});

// In a child process (each addon file is loaded once per process): which file loadBackend loads
// from a tree of real binaries, and the reason it gives.
function loadFrom(root, forced) {
  const script = `
    const { loadBackend } = require(${JSON.stringify(fileURLToPath(new URL('../../node/lib/backends.js', import.meta.url)))});
    const b = loadBackend(${JSON.stringify(forced)}, { root: ${JSON.stringify(root)}, env: {} });
    console.log(JSON.stringify({ path: b.path, reason: b.reason, answer: b.call('parse', ['canonical', '{}']).slice(0, 10) }));`;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

test('loadBackend loads the newer of a real prebuild and a real local build, and says why', () => {
  const addon = backends.loadBackend('native').path;
  const older = packageTree({ [PREBUILD]: { at: T0, from: addon }, [LOCAL_NATIVE]: { at: T0 + HOUR, from: addon } });
  const local = loadFrom(older, 'native');
  assert.equal(local.path, path.join(older, LOCAL_NATIVE));
  assert.match(local.reason, /newer than the prebuild/);
  assert.equal(local.answer, '{"errors":');
  utimesSync(path.join(older, PREBUILD), T0 + 2 * HOUR, T0 + 2 * HOUR);
  assert.equal(loadFrom(older, 'native').path, path.join(older, PREBUILD));

  const wasm = backends.loadBackend('wasm').path;
  const wasmTree = packageTree({
    [PACKAGED_WASM]: { at: T0, from: wasm },
    [path.join(path.dirname(PACKAGED_WASM), 'phone_handoff.wasm')]: { at: T0, from: path.join(path.dirname(wasm), 'phone_handoff.wasm') },
    [LOCAL_WASM]: { at: T0 + HOUR, from: wasm },
    [path.join(path.dirname(LOCAL_WASM), 'phone_handoff.wasm')]: { at: T0 + HOUR, from: path.join(path.dirname(wasm), 'phone_handoff.wasm') },
  });
  const loaded = loadFrom(wasmTree, 'wasm');
  assert.equal(loaded.path, path.join(wasmTree, LOCAL_WASM));
  assert.equal(loaded.answer, '{"errors":');
});

test('doctor says first which core file runs and why; a fallback past the native addon is a warning', () => {
  const config = path.join(scratch, 'doctor.json');
  // Zendesk on a loopback port nothing listens on: doctor stops at "reach" without any network.
  writeFileSync(config, JSON.stringify({ zendesk: { url: 'http://127.0.0.1:1', appId: 'app1', sunshine: { keyId: 'app_1', secret: 's' } } }));
  const doctor = (env) => {
    const cleanEnv = { ...process.env };
    for (const k of ['PHONE_HANDOFF_BACKEND', 'PHONE_HANDOFF_NATIVE_PATH', 'PHONE_HANDOFF_WASM_PATH']) delete cleanEnv[k];
    const r = spawnSync(process.execPath, [fileURLToPath(new URL('../../node/cli.js', import.meta.url)), 'doctor', '--json', '--config', config],
      { env: { ...cleanEnv, ...env }, encoding: 'utf8', timeout: 60000 });
    assert.equal(r.status, 1, r.stderr);  // "reach" is a problem
    return JSON.parse(r.stdout).findings[0];
  };
  const chosen = backends.loadBackend('native');
  const ok = doctor({});
  assert.equal(ok.check, 'backend');
  assert.equal(ok.status, 'ok');
  assert.equal(ok.message, `The native core ${chosen.version} runs from ${chosen.path}: ${chosen.reason}.`);
  const fallback = doctor({ PHONE_HANDOFF_NATIVE_PATH: missingFile });
  assert.equal(fallback.status, 'warning');
  assert.match(fallback.message, /^The wasm core .* runs from .*phone_handoff\.cjs: .*; tried before it: native: .*missing\.node: not found\.$/);
});
