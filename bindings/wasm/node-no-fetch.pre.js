// Emscripten 3.1.6 predates Node's global fetch: when it sees one it takes the browser path and
// fails to load the .wasm. Inside the factory, hide fetch from Node so the glue reads the file.
var fetch = (typeof process === 'object' && process.versions && process.versions.node)
  ? undefined : globalThis.fetch;
