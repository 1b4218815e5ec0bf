'use strict';
// Finds a backend for the core, the way sharp does: the native addon first, then WebAssembly.
// PHONE_HANDOFF_BACKEND=native or =wasm forces one; a forced backend that cannot load throws an
// error that lists every attempt and why it failed. Each backend is
// { name, path, reason, version, call(operation, args) -> JSON text }: `reason` says in words why
// that file was chosen (doctor prints it); `skipped` lists the failed attempts before it.
//
// Which file: the package's own binary (prebuilds/<platform>-<arch>/, dist/wasm/), unless a local
// build under build/ is NEWER than it; then the local build goes first. A published package has
// no build/ directory, so it always loads its own binary. In a development checkout a fresh
// `cmake --build` is what runs, never a stale prebuild, and a stale local build never shadows a
// fresh `npm run build`. Every candidate that exists is still tried, in that order, so a broken
// first choice falls back to the next.
//
// PHONE_HANDOFF_NATIVE_PATH / PHONE_HANDOFF_WASM_PATH replace the candidate list with one file.
// They exist for tests (simulate a missing or corrupt binary) and for debugging a specific build;
// they are not needed in normal use.
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');

const packageRoot = path.resolve(__dirname, '..', '..');
const platformDir = `${process.platform}-${process.arch}`;

// Where each backend can come from, relative to the package root: the packaged file and the local
// builds. `companions`: files next to it that it loads at run time (the wasm binary), so their
// age counts too.
const LAYOUT = {
  native: {
    variable: 'PHONE_HANDOFF_NATIVE_PATH',
    packaged: path.join('prebuilds', platformDir, 'phone-handoff.node'),
    packagedName: `prebuild for ${platformDir}`,
    local: [path.join('build', 'native', 'phone_handoff.node'), path.join('build', 'addon', 'Release', 'phone_handoff.node')],
    companions: [],
  },
  wasm: {
    variable: 'PHONE_HANDOFF_WASM_PATH',
    packaged: path.join('dist', 'wasm', 'node', 'phone_handoff.cjs'),
    packagedName: 'packaged WebAssembly module',
    local: [path.join('build', 'wasm', 'dist', 'node', 'phone_handoff.cjs')],
    companions: ['phone_handoff.wasm'],
  },
};

// When the file (and what it loads) was last built, in ms since 1970; null when it does not exist.
function builtAt(file, companions) {
  if (!fs.existsSync(file)) return null;
  let newest = fs.statSync(file).mtimeMs;
  for (const companion of companions) {
    const other = path.join(path.dirname(file), companion);
    if (fs.existsSync(other)) newest = Math.max(newest, fs.statSync(other).mtimeMs);
  }
  return newest;
}

const when = (ms) => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

// The files to try for backend `name`, in order, each with why it is in that place:
// [{ file, reason }]. Files that do not exist stay listed, so the attempts can say "not found".
// `root` (another package root) and `env` exist for the loader's own tests.
function candidates(name, { root = packageRoot, env = process.env } = {}) {
  const layout = LAYOUT[name];
  if (env[layout.variable]) return [{ file: path.resolve(env[layout.variable]), reason: `${layout.variable} names it` }];
  const packagedFile = path.join(root, layout.packaged);
  const packagedAt = builtAt(packagedFile, layout.companions);
  const locals = layout.local.map((relative) => ({
    relative, file: path.join(root, relative), at: builtAt(path.join(root, relative), layout.companions),
  }));
  const newer = locals.filter((l) => l.at !== null && (packagedAt === null || l.at > packagedAt))
    .sort((a, b) => b.at - a.at);
  const older = locals.filter((l) => l.at !== null && !newer.includes(l));
  const missing = locals.filter((l) => l.at === null);
  const packaged = `the ${layout.packagedName}`;
  const local = (l, why) => ({ file: l.file, reason: `the local build ${l.relative} (built ${when(l.at)}), ${why}` });
  return [
    ...newer.map((l) => local(l, packagedAt === null
      ? `and there is no ${layout.packagedName}`
      : `newer than ${packaged} (built ${when(packagedAt)})`)),
    {
      file: packagedFile,
      reason: older.length
        ? `${packaged} (built ${when(packagedAt)}), not older than the local build ${older[0].relative} (built ${when(older[0].at)})`
        : packaged,
    },
    ...older.map((l) => local(l, `older than ${packaged}`)),
    ...missing.map((l) => ({ file: l.file, reason: `the local build ${l.relative}` })),
  ];
}

const nativeCandidates = (options) => candidates('native', options).map((c) => c.file);
const wasmCandidates = (options) => candidates('wasm', options).map((c) => c.file);

// RTLD_NOW: resolve every symbol at load time. With the default lazy binding, an addon built
// against a newer or broken core loads fine and then kills the process ("symbol lookup error")
// at its first call, too late for any fallback; resolved up front, it is one more failed attempt.
const loadedAddons = new Map();
function openAddon(file) {
  if (!loadedAddons.has(file)) {
    const module = { exports: {} };
    process.dlopen(module, file, os.constants.dlopen.RTLD_NOW);
    loadedAddons.set(file, module.exports);
  }
  return loadedAddons.get(file);
}

// The addon takes strings and Buffers; a Uint8Array is viewed as a Buffer without copying.
const asAddonArgument = (a) => (typeof a === 'string' || Buffer.isBuffer(a)
  ? a : Buffer.from(a.buffer, a.byteOffset, a.byteLength));

function loadNative(attempts, options) {
  for (const { file, reason } of candidates('native', options)) {
    if (!fs.existsSync(file)) { attempts.push(`native: ${file}: not found`); continue; }
    try {
      const addon = openAddon(file);
      if (typeof addon.call !== 'function') throw new Error('not a phone-handoff addon (no call export)');
      return {
        name: 'native',
        path: file,
        reason,
        version: addon.version,
        call: (operation, args) => addon.call(operation, args.map(asAddonArgument)),
      };
    } catch (err) {
      attempts.push(`native: ${file}: ${err.message.split('\n')[0]}`);
    }
  }
  return null;
}

function loadWasm(attempts, options) {
  const { wasmBackend } = require('./wasm-backend.js');
  for (const { file, reason } of candidates('wasm', options)) {
    if (!fs.existsSync(file)) { attempts.push(`wasm: ${file}: not found`); continue; }
    try {
      const Module = {};
      // Built with WASM_ASYNC_COMPILATION=0: the exports are on Module when the factory returns.
      require(file)(Module);
      return { ...wasmBackend(Module, file), reason };
    } catch (err) {
      attempts.push(`wasm: ${file}: ${err.message.split('\n')[0]}`);
    }
  }
  return null;
}

// `options` ({root, env}) is for the loader's own tests; normal use passes nothing.
function loadBackend(forced = process.env.PHONE_HANDOFF_BACKEND, options = {}) {
  const attempts = [];
  if (forced && forced !== 'native' && forced !== 'wasm') {
    const err = new Error(`PHONE_HANDOFF_BACKEND must be "native" or "wasm", not "${forced}"`);
    err.code = 'ERR_PHONE_HANDOFF_BACKEND';
    throw err;
  }
  const order = forced ? [forced] : ['native', 'wasm'];
  for (const name of order) {
    const backend = name === 'native' ? loadNative(attempts, options) : loadWasm(attempts, options);
    if (backend) {
      // Kept so a silent fallback can still be explained (doctor prints them).
      backend.skipped = attempts;
      return backend;
    }
  }
  const err = new Error(
    `phone-handoff: could not load ${forced ? `the forced "${forced}" backend` : 'any backend'}.\n` +
    `Tried:\n  ${attempts.join('\n  ')}\n` +
    'Build it with "npm run build", or unset PHONE_HANDOFF_BACKEND to allow the fallback.');
  err.code = 'ERR_PHONE_HANDOFF_BACKEND';
  err.attempts = attempts;
  throw err;
}

module.exports = { loadBackend, candidates, nativeCandidates, wasmCandidates };
