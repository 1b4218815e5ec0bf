// The ES module entry (default export too) and the browser entry, type-checked like usage.ts.
import ph, { parse, backend } from 'phone-handoff';
import * as browser from 'phone-handoff/browser';

const a = parse('elevenlabs', '{}');
const b = ph.parse('vapi', new Uint8Array(0));
console.log('errors' in a, 'errors' in b, backend.name === ph.backend.name);

await browser.init({ wasmBinary: new Uint8Array(0), locateFile: (p, dir) => dir + p });
await browser.init({ moduleUrl: new URL('https://example.invalid/phone_handoff.mjs') });
const found = browser.diagnose('retell', '{}').findings.length;
const info = browser.backend;
console.log(found, info?.name, browser.version?.length, browser.operations.length, browser.sources[0]);
// @ts-expect-error: backend is null until init() resolves
console.log(browser.backend.name);
