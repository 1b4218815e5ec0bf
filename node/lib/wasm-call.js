'use strict';
// Marshalling for the WebAssembly backend: writes each argument (string or bytes) into linear
// memory, calls the core's single export, reads the JSON result back. Shared by Node and the
// browser sidebar (it uses only TextEncoder/TextDecoder and the module's exports).
function makeWasmCall(Module) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8');
  return function call(operation, args) {
    const buffers = [encoder.encode(operation + '\0')];
    for (const a of args) buffers.push(typeof a === 'string' ? encoder.encode(a) : a);
    const ptrs = buffers.map((b) => {
      const p = Module._malloc(Math.max(b.length, 1));
      if (!p) throw new Error('phone-handoff (wasm): out of memory');
      Module.HEAPU8.set(b, p);
      return p;
    });
    const table = Module._malloc(8 * args.length || 8);
    try {
      for (let i = 0; i < args.length; i++) {
        Module.HEAPU32[(table >> 2) + 2 * i] = ptrs[i + 1];
        Module.HEAPU32[(table >> 2) + 2 * i + 1] = buffers[i + 1].length;
      }
      const out = Module._ph_call(ptrs[0], table, args.length);
      if (!out) throw new Error('phone-handoff (wasm): out of memory');
      // HEAP views may have been replaced by memory growth during the call: read them afresh.
      const len = Module.HEAPU32[out >> 2];
      const text = decoder.decode(Module.HEAPU8.subarray(out + 4, out + 4 + len));
      Module._free(out);
      return text;
    } finally {
      Module._free(table);
      for (const p of ptrs) Module._free(p);
    }
  };
}

if (typeof module === 'object' && module.exports) module.exports = { makeWasmCall };
