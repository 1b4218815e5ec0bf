// The sidebar's core op through both Node backends: the same conversations give byte-identical
// results natively and as WebAssembly (the browser runs the same wasm core).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { hostileCall, loggedEscalationSms, longCall, ordinaryTicket, shortCall } from './support/sidebar-conversations.mjs';

const require = createRequire(import.meta.url);
const { loadBackend } = require('../../node/lib/backends.js');

function backend(name) {
  try {
    const b = loadBackend(name);
    const probe = JSON.parse(b.call('conversation', ['[]']));
    return probe.error ? `the ${name} build predates the conversation op (${probe.error.code}); rebuild it` : b;
  } catch (error) {
    return `no ${name} backend: ${error.message.split('\n')[0]}`;
  }
}

const native = backend('native');
const wasm = backend('wasm');
const skip = typeof native === 'string' ? native : typeof wasm === 'string' ? wasm : false;

const cases = {
  short: shortCall(), long: longCall(400), sms: loggedEscalationSms(), ordinary: ordinaryTicket(), hostile: hostileCall(),
};

test('conversation: native and wasm agree byte for byte', { skip }, () => {
  for (const [name, data] of Object.entries(cases)) {
    const args = [JSON.stringify(data.ticket.conversation), JSON.stringify({ tagPrefix: 'opencx', sessionId: 'sess_1' })];
    const a = native.call('conversation', args);
    const b = wasm.call('conversation', args);
    assert.equal(a, b, name);
    const view = JSON.parse(a);
    assert.equal(view.isHandoff, name !== 'ordinary', name);
  }
  const long = JSON.parse(native.call('conversation', [JSON.stringify(cases.long.ticket.conversation)]));
  assert.equal(long.turns.length, 400);
  assert.deepEqual(long.turns.map((t) => t.seq), [...Array(400).keys()]);
});
