'use strict';
// Turns an instantiated Emscripten module of the core into a backend, the same object shape the
// native addon gets: { name: 'wasm', path, version, call(operation, args) -> JSON text }.
// Used by the Node loader (CommonJS build) and by node/browser.mjs (ES build), so both wasm
// paths share one definition.
const { makeWasmCall } = require('./wasm-call.js');

// ph_version() returns a NUL-terminated C string in linear memory; the build exports no runtime
// helpers (EXPORTED_RUNTIME_METHODS=[]), so read it from HEAPU8 directly.
function readCString(Module, pointer) {
  const heap = Module.HEAPU8;
  let end = pointer;
  while (heap[end] !== 0) end++;
  return new TextDecoder('utf-8').decode(heap.subarray(pointer, end));
}

function wasmBackend(Module, path) {
  if (typeof Module._ph_call !== 'function') throw new Error('module did not instantiate (no _ph_call export)');
  return {
    name: 'wasm',
    path,
    version: readCString(Module, Module._ph_version()),
    call: makeWasmCall(Module),
  };
}

module.exports = { wasmBackend };
