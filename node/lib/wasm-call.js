'use strict';
// Marshalling for the WebAssembly backend: writes each argument (string or bytes) into linear
// memory, calls the core's single export, reads the JSON result back. Shared by Node and the
// browser sidebar (it uses only TextEncoder/TextDecoder and the module's exports).
function makeWasmCall(Module) {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder('utf-8');

  function allocate(bytes) {
    const p = Module._malloc(Math.max(bytes, 1));
    if (!p) throw new Error('phone-handoff (wasm): out of memory');
    return p;
  }

  // A string is encoded straight into the heap (no intermediate Uint8Array and copy: for a
  // 450 KB webhook body that was a measurable share of a call). UTF-8 needs at most 3 bytes per
  // UTF-16 unit; the block is freed after the call. HEAPU8 is read after _malloc, which may
  // have grown the memory and replaced the view.
  function put(value, allocated) {
    if (typeof value === 'string') {
      const room = 3 * value.length + 1;
      const p = allocate(room);
      allocated.push(p);
      const { written } = encoder.encodeInto(value, Module.HEAPU8.subarray(p, p + room));
      return { p, length: written };
    }
    const p = allocate(value.length);
    allocated.push(p);
    Module.HEAPU8.set(value, p);
    return { p, length: value.length };
  }

  return function call(operation, args) {
    const allocated = [];
    try {
      const name = put(operation + '\0', allocated);
      const table = allocate(8 * args.length || 8);
      allocated.push(table);
      for (let i = 0; i < args.length; i++) {
        const { p, length } = put(args[i], allocated);
        Module.HEAPU32[(table >> 2) + 2 * i] = p;
        Module.HEAPU32[(table >> 2) + 2 * i + 1] = length;
      }
      const out = Module._ph_call(name.p, table, args.length);
      if (!out) throw new Error('phone-handoff (wasm): out of memory');
      // HEAP views may have been replaced by memory growth during the call: read them afresh.
      const len = Module.HEAPU32[out >> 2];
      const text = decoder.decode(Module.HEAPU8.subarray(out + 4, out + 4 + len));
      Module._free(out);
      return text;
    } finally {
      for (const p of allocated) Module._free(p);
    }
  };
}

if (typeof module === 'object' && module.exports) module.exports = { makeWasmCall };
