// phone-handoff for browsers (the "browser" export condition, or import "phone-handoff/browser"):
// the same API as Node, on the ES WebAssembly build, after `await init()`. WebAssembly must be
// compiled asynchronously in browsers, hence init(); every call after it is synchronous.
// The api/marshalling files are CommonJS shared with Node: bundlers (and Node) import them as is.
import apiModule from './lib/api.js';
import wasmBackendModule from './lib/wasm-backend.js';

const { createApi, SIGNATURES, SOURCES } = apiModule;
const { wasmBackend } = wasmBackendModule;

// Published package: dist/wasm/web (copied there by the build); a source checkout: CMake's output.
const MODULE_URLS = [
  new URL('../dist/wasm/web/phone_handoff.mjs', import.meta.url),
  new URL('../build/wasm/dist/web/phone_handoff.mjs', import.meta.url),
];

let api = null;
let loading = null;

export const operations = Object.freeze(Object.keys(SIGNATURES));
export const sources = SOURCES;
/** Set by init(): { name: 'wasm', path } and the core's version. */
export let backend = null;
export let version = null;

async function importFirst(urls) {
  const attempts = [];
  for (const url of urls) {
    try {
      return { url: String(url), factory: (await import(/* webpackIgnore: true */ String(url))).default };
    } catch (err) {
      attempts.push(`${url}: ${String(err && err.message).split('\n')[0]}`);
    }
  }
  const err = new Error(`phone-handoff: could not load the WebAssembly module.\nTried:\n  ${attempts.join('\n  ')}`);
  err.code = 'ERR_PHONE_HANDOFF_BACKEND';
  err.attempts = attempts;
  throw err;
}

/**
 * Loads and instantiates the core once; later calls return the same promise.
 * options.moduleUrl: where phone_handoff.mjs is (default: found next to this package);
 * any other option goes to the Emscripten factory (e.g. wasmBinary, locateFile).
 */
export function init({ moduleUrl, ...moduleOptions } = {}) {
  if (!loading) {
    loading = (async () => {
      const { url, factory } = await importFirst(moduleUrl ? [moduleUrl] : MODULE_URLS);
      const Module = await factory(moduleOptions);
      api = createApi(wasmBackend(Module, url));
      backend = api.backend;
      version = api.version;
    })();
    loading.catch(() => { loading = null; });  // a failed init may be retried (e.g. with moduleUrl)
  }
  return loading;
}

function ready() {
  if (!api) throw new Error('phone-handoff: call `await init()` before using the API');
  return api;
}

export const parse = (...args) => ready().parse(...args);
export const diagnose = (...args) => ready().diagnose(...args);
export const merge = (...args) => ready().merge(...args);
export const redact = (...args) => ready().redact(...args);
export const render = (...args) => ready().render(...args);
export const plan = (...args) => ready().plan(...args);
export const deliver = (...args) => ready().deliver(...args);
export const verify = (...args) => ready().verify(...args);
export const sign = (...args) => ready().sign(...args);
export const conversation = (...args) => ready().conversation(...args);
