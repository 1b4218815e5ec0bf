// The core's sidebar build (build/wasm/dist/sidebar: the browser module the Zendesk app ships,
// linked with bindings/wasm/sidebar_api.cpp instead of the full export list): it gives exactly
// what the full core gives for `conversation`, refuses every other operation, and stays a
// fraction of the full browser module's size. Loaded here in Node through its own ES glue.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { hostileCall, loggedEscalationSms, longCall, ordinaryTicket, shortCall } from './support/sidebar-conversations.mjs';

const require = createRequire(import.meta.url);
const { loadBackend } = require('../../node/lib/backends.js');
const { makeWasmCall } = require('../../node/lib/wasm-call.js');

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const sidebarDir = process.env.PH_WASM_WEB_DIR || path.join(repoRoot, 'build', 'wasm', 'dist', 'sidebar');
const webDir = path.join(repoRoot, 'build', 'wasm', 'dist', 'web');
const built = fs.existsSync(path.join(sidebarDir, 'phone_handoff.wasm'));

// The browser glue fetches its .wasm next to itself; Node's fetch has no file: URLs, so serve
// them from disk while the module instantiates.
async function loadSidebarModule() {
  const realFetch = globalThis.fetch;
  globalThis.fetch = async (url) => {
    const file = fileURLToPath(String(url));
    return new Response(fs.readFileSync(file), { headers: { 'content-type': 'application/wasm' } });
  };
  try {
    const { default: createPhoneHandoff } = await import(pathToFileURL(path.join(sidebarDir, 'phone_handoff.mjs')));
    return await createPhoneHandoff({ printErr: (text) => { throw new Error(`unexpected output: ${text}`); } });
  } finally {
    globalThis.fetch = realFetch;
  }
}

function fullBackend() {
  try {
    const b = loadBackend();
    return JSON.parse(b.call('conversation', ['[]'])).error ? null : b;
  } catch {
    return null;
  }
}

const gzipped = (dir) => gzipSync(Buffer.concat(['phone_handoff.mjs', 'phone_handoff.wasm']
  .map((f) => fs.readFileSync(path.join(dir, f)))), { level: 9 }).length;

test('the sidebar wasm build', { skip: !built && `no sidebar core in ${sidebarDir} (build phone_handoff_wasm_sidebar)` }, async (t) => {
  const Module = await loadSidebarModule();
  const call = makeWasmCall(Module);
  const full = fullBackend();

  await t.test('gives byte for byte what the full core gives for conversation', { skip: !full && 'no full backend loads' }, () => {
    const cases = { short: shortCall(), long: longCall(400), sms: loggedEscalationSms(), ordinary: ordinaryTicket(), hostile: hostileCall() };
    for (const [name, data] of Object.entries(cases)) {
      for (const args of [[JSON.stringify(data.ticket.conversation)],
        [JSON.stringify(data.ticket.conversation), JSON.stringify({ tagPrefix: 'opencx', sessionId: 'sess_1' })]]) {
        assert.equal(call('conversation', args), full.call('conversation', args), name);
      }
    }
    // Invalid input and a caller mistake come back the same way too.
    for (const args of [['not json'], ['{"x":1}'], ['[]', '{"tagPrefix":"bad prefix!"}'], ['[]', '[1]']]) {
      assert.equal(call('conversation', args), full.call('conversation', args), args.join(' '));
    }
    const long = JSON.parse(call('conversation', [JSON.stringify(cases.long.ticket.conversation)]));
    assert.equal(long.turns.length, 400);
  });

  await t.test('exports only conversation, with the same argument checks', () => {
    for (const op of ['parse', 'render', 'plan', 'sign', 'verify', 'deliver']) {
      const { error } = JSON.parse(call(op, ['{}']));
      assert.equal(error.code, 'unknown_operation', op);
      assert.match(error.message, /\(known: conversation\)/);
    }
    assert.equal(JSON.parse(call('conversation', [])).error.code, 'bad_arguments');
    assert.equal(JSON.parse(call('conversation', ['[]', '{}', '{}'])).error.code, 'bad_arguments');
  });

  await t.test('reports the same version as the full core', { skip: !full && 'no full backend loads' }, () => {
    let end = Module._ph_version();
    const start = end;
    while (Module.HEAPU8[end] !== 0) end++;
    assert.equal(new TextDecoder().decode(Module.HEAPU8.subarray(start, end)), full.version);
  });

  await t.test('has no eval and is a fraction of the full browser module', { skip: !fs.existsSync(path.join(webDir, 'phone_handoff.wasm')) && 'no full browser build' }, () => {
    assert.doesNotMatch(fs.readFileSync(path.join(sidebarDir, 'phone_handoff.mjs'), 'utf8'), /\beval\(|new Function/);
    const slim = gzipped(sidebarDir);
    const whole = gzipped(webDir);
    console.log(`# sidebar core ${slim} bytes gzipped, full browser core ${whole}`);
    assert.ok(slim * 2 < whole, `sidebar build ${slim} B vs full ${whole} B gzipped`);
  });
});
