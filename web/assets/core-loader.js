// Loads the core (C++ compiled to WebAssembly, ES module glue built with ENVIRONMENT=web and no
// eval) and returns call(operation, args) → JSON text. It is the core's sidebar build, which
// exports only the `conversation` operation (bindings/wasm/sidebar_api.cpp). The marshalling is node/lib/wasm-call.js,
// shared with Node and loaded by iframe.html as a classic script (it defines makeWasmCall).
// Any failure (CSP without 'wasm-unsafe-eval', no WebAssembly, missing files) rejects with
// error.code = 'wasm_unavailable' so the UI can say so instead of showing a blank panel.

export async function loadCore(win = window) {
  try {
    if (typeof win.WebAssembly !== 'object') throw new Error('WebAssembly is not available');
    if (typeof win.makeWasmCall !== 'function') throw new Error('wasm-call.js did not load');
    const { default: createPhoneHandoff } = await import('./phone_handoff.mjs');
    const Module = await createPhoneHandoff({
      // Emscripten prints through these; keep the sidebar's console quiet except for real errors.
      print: () => {},
      printErr: (text) => win.console.warn('[phone-handoff]', text),
    });
    return { call: win.makeWasmCall(Module) };
  } catch (cause) {
    const error = new Error(`the WebAssembly core could not start: ${cause && cause.message}`);
    error.code = 'wasm_unavailable';
    error.cause = cause;
    throw error;
  }
}
