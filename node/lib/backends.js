'use strict';
// Finds a backend for the core, the way sharp does: the native addon first (a prebuilt for this
// platform inside the package, then a local build), then WebAssembly. PHONE_HANDOFF_BACKEND=native
// or =wasm forces one; a forced backend that cannot load throws an error that lists every
// attempt and why it failed. Each backend is { name, path, version, call(operation, args) -> JSON text }.
//
// PHONE_HANDOFF_NATIVE_PATH / PHONE_HANDOFF_WASM_PATH replace the candidate list with one file.
// They exist for tests (simulate a missing or corrupt binary) and for debugging a specific build;
// they are not needed in normal use.
const path = require('node:path');
const fs = require('node:fs');
const os = require('node:os');

const root = path.resolve(__dirname, '..', '..');
const platformDir = `${process.platform}-${process.arch}`;

const nativeCandidates = () => (process.env.PHONE_HANDOFF_NATIVE_PATH
  ? [path.resolve(process.env.PHONE_HANDOFF_NATIVE_PATH)]
  : [
    path.join(root, 'prebuilds', platformDir, 'phone-handoff.node'),
    path.join(root, 'build', 'native', 'phone_handoff.node'),
    path.join(root, 'build', 'addon', 'Release', 'phone_handoff.node'),
  ]);
const wasmCandidates = () => (process.env.PHONE_HANDOFF_WASM_PATH
  ? [path.resolve(process.env.PHONE_HANDOFF_WASM_PATH)]
  : [
    path.join(root, 'dist', 'wasm', 'node', 'phone_handoff.cjs'),
    path.join(root, 'build', 'wasm', 'dist', 'node', 'phone_handoff.cjs'),
  ]);

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

function loadNative(attempts) {
  for (const file of nativeCandidates()) {
    if (!fs.existsSync(file)) { attempts.push(`native: ${file}: not found`); continue; }
    try {
      const addon = openAddon(file);
      if (typeof addon.call !== 'function') throw new Error('not a phone-handoff addon (no call export)');
      return {
        name: 'native',
        path: file,
        version: addon.version,
        call: (operation, args) => addon.call(operation, args.map(asAddonArgument)),
      };
    } catch (err) {
      attempts.push(`native: ${file}: ${err.message.split('\n')[0]}`);
    }
  }
  return null;
}

function loadWasm(attempts) {
  const { wasmBackend } = require('./wasm-backend.js');
  for (const file of wasmCandidates()) {
    if (!fs.existsSync(file)) { attempts.push(`wasm: ${file}: not found`); continue; }
    try {
      const Module = {};
      // Built with WASM_ASYNC_COMPILATION=0: the exports are on Module when the factory returns.
      require(file)(Module);
      return wasmBackend(Module, file);
    } catch (err) {
      attempts.push(`wasm: ${file}: ${err.message.split('\n')[0]}`);
    }
  }
  return null;
}

function loadBackend(forced = process.env.PHONE_HANDOFF_BACKEND) {
  const attempts = [];
  if (forced && forced !== 'native' && forced !== 'wasm') {
    const err = new Error(`PHONE_HANDOFF_BACKEND must be "native" or "wasm", not "${forced}"`);
    err.code = 'ERR_PHONE_HANDOFF_BACKEND';
    throw err;
  }
  const order = forced ? [forced] : ['native', 'wasm'];
  for (const name of order) {
    const backend = name === 'native' ? loadNative(attempts) : loadWasm(attempts);
    if (backend) {
      // Kept so a silent fallback can still be explained (e.g. by a future `doctor` command).
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

module.exports = { loadBackend, nativeCandidates, wasmCandidates };
