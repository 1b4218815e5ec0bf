// The package API (node/lib/api.js): argument validation, what reaches the core, how results and
// core errors come back. Most checks run over a recording backend, so they pin the JS layer
// exactly; the rest go through the real core.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const { createApi, SIGNATURES } = require('../../node/lib/api.js');
const { loadBackend } = require('../../node/lib/backends.js');
const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));

// A backend that records every call and answers with a canned JSON text.
function recordingApi(answer = '{"ok":true}') {
  const calls = [];
  const api = createApi({
    name: 'native', path: '/fake.node', version: '9.9.9',
    call(operation, args) { calls.push({ operation, args }); return answer; },
  });
  return { api, calls };
}

test('parse rejects an unknown source before the core runs, naming the allowed ones', () => {
  const { api, calls } = recordingApi();
  assert.throws(() => api.parse('vpai', '{}'), {
    name: 'TypeError',
    code: 'ERR_INVALID_ARG_VALUE',
    message: 'parse(source, body): source must be one of canonical, vapi, retell, elevenlabs, bland; got "vpai"',
  });
  assert.equal(calls.length, 0);
});

test('every argument mistake is a TypeError that names the call and the argument', () => {
  const { api, calls } = recordingApi();
  const cases = [
    [() => api.parse('vapi'), 'parse(source, body): body is required'],
    [() => api.parse('vapi', 42), 'parse(source, body): body must be JSON text, bytes, or an object; got number 42'],
    [() => api.parse('vapi', '{}', true), 'parse(source, body, options): options must be JSON text, bytes, or an object; got boolean true'],
    [() => api.parse('vapi', '{}', {}, {}), 'parse(source, body[, options]): takes at most 3 arguments, got 4'],
    [() => api.diagnose(undefined, '{}'), 'diagnose(source, body): source must be one of canonical, vapi, retell, elevenlabs, bland; got undefined'],
    [() => api.merge({}, null), 'merge(existing, incoming): incoming must be JSON text, bytes, or an object; got null'],
    [() => api.redact(7), 'redact(handoffOrText): handoffOrText must be text (a string) or a handoff (an object or its JSON bytes); got number 7'],
    [() => api.render(), 'render(handoff): handoff is required'],
    [() => api.plan({}, {}, {}, {}), 'plan(handoff[, config[, progress]]): takes at most 3 arguments, got 4'],
    [() => api.verify('', {}, ''), 'verify(source, request, body): source must be one of canonical, vapi, retell, elevenlabs, bland; got ""'],
    [() => api.verify('retell', {}, { a: 1 }), 'verify(source, request, body): body must be the raw body as a string or bytes (signatures cover exact bytes, so objects are not accepted); got an object'],
    [() => api.sign('retell', '{}', 'k', new Date(NaN)), 'sign(source, body, auth, now): now must be a valid time at or after 1970; got a Date'],
    [() => api.sign('retell', '{}', 'k', 1.5), 'sign(source, body, auth, now): now must be a valid time at or after 1970; got number 1.5'],
    [() => api.sign('retell', '{}', 'k', '2026-01-01T00:00:00Z'), 'sign(source, body, auth, now): now must be a Date or Unix milliseconds; got "2026-01-01T00:00:00Z"'],
    [() => api.conversation(() => {}), 'conversation(ticketConversation): ticketConversation must be JSON text, bytes, or an object; got a function'],
  ];
  for (const [call, message] of cases) assert.throws(call, { name: 'TypeError', message });
  assert.equal(calls.length, 0, 'no invalid call reached the core');
});

test('arguments reach the core as text or bytes: objects stringified, bytes passed through', () => {
  const { api, calls } = recordingApi();
  const bytes = Buffer.from('{"a":1}');
  const view = new DataView(new ArrayBuffer(4), 1, 2);
  api.parse('vapi', { message: { type: 'x' } }, { maxDepth: 8 });
  api.parse('retell', bytes);
  api.merge('{"version":1}', view);
  api.redact('call me at 4111 1111 1111 1111');
  api.redact({ version: 1 }, { redaction: false });
  api.plan({ version: 1 }, undefined, { delivered: 2 });
  api.render({ version: 1 }, undefined);
  api.sign('bland', 'body', { secret: 's' }, Date.UTC(2026, 0, 1));
  api.sign('bland', 'body', { secret: 's' }, new Date('2026-01-01T00:00:01Z'));
  api.verify('bland', { headers: {} }, new Uint16Array([1]).buffer);

  assert.deepEqual(calls[0], { operation: 'parse', args: ['vapi', '{"message":{"type":"x"}}', '{"maxDepth":8}'] });
  assert.equal(calls[1].args[1], bytes, 'a Buffer is passed through, not copied');
  assert.ok(calls[2].args[1] instanceof Uint8Array && calls[2].args[1].buffer === view.buffer);
  assert.deepEqual([calls[2].args[1].byteOffset, calls[2].args[1].byteLength], [1, 2]);
  assert.deepEqual(calls[3].args, ['{"text":"call me at 4111 1111 1111 1111"}'], 'plain text is wrapped as {"text"}');
  assert.deepEqual(calls[4].args, ['{"version":1}', '{"redaction":false}']);
  assert.deepEqual(calls[5].args, ['{"version":1}', '{}', '{"delivered":2}'], 'an omitted middle config becomes {}');
  assert.deepEqual(calls[6].args, ['{"version":1}'], 'trailing undefined arguments are dropped');
  assert.equal(calls[7].args[3], '1767225600000', 'now reaches the core as Unix milliseconds');
  assert.equal(calls[8].args[3], '1767225601000');
  assert.ok(calls[9].args[2] instanceof Uint8Array && calls[9].args[2].byteLength === 2);
});

test('results are decoded once; a core error becomes an Error with ERR_PHONE_HANDOFF_<CODE>', () => {
  assert.deepEqual(recordingApi('{"errors":[{"pointer":"/a","message":"m"}]}').api.parse('vapi', '{}'),
    { errors: [{ pointer: '/a', message: 'm' }] }, 'an invalid payload is a result, not an exception');
  const { api } = recordingApi('{"error":{"code":"bad_config","message":"tagPrefix must be a string"}}');
  assert.throws(() => api.render({}), (err) => {
    assert.ok(!(err instanceof TypeError));
    assert.equal(err.code, 'ERR_PHONE_HANDOFF_BAD_CONFIG');
    assert.equal(err.message, 'tagPrefix must be a string');
    assert.equal(err.operation, 'render');
    assert.match(err.stack, /package\.test\.mjs/, 'the error carries a JS stack');
    return true;
  });
  // "error" next to other keys is data, not a failure of the call.
  assert.deepEqual(recordingApi('{"error":"x","findings":[]}').api.diagnose('vapi', '{}'), { error: 'x', findings: [] });
});

test('a core error from the real core keeps its code and message', () => {
  const real = loadBackend();
  // Drop arguments on the way in, so the real core itself reports the mistake.
  const api = createApi({ ...real, call: (operation, args) => real.call(operation, args.slice(0, 1)) });
  assert.throws(() => api.parse('vapi', '{}'), {
    code: 'ERR_PHONE_HANDOFF_BAD_ARGUMENTS',
    message: 'parse takes (source, body[, options]), got 1 argument(s)',
  });
});

test('the operation list matches the core export list, and version matches package.json', () => {
  const real = loadBackend();
  const { error } = JSON.parse(real.call('no-such-operation', []));
  const known = /\(known: ([^)]*)\)/.exec(error.message)[1].split(', ');
  assert.deepEqual(Object.keys(SIGNATURES), known);
  const api = require('../../node/index.js');
  assert.deepEqual(api.operations, known);
  assert.equal(api.version, packageJson.version);
  assert.ok(['native', 'wasm'].includes(api.backend.name));
  assert.equal(typeof api.backend.path, 'string');
  assert.ok(Object.isFrozen(api) && Object.isFrozen(api.backend));
});

test('the ES module entry exports the same functions and values as the CommonJS one', async () => {
  const esm = await import('../../node/index.mjs');
  const cjs = require('../../node/index.js');
  for (const name of [...Object.keys(SIGNATURES), 'backend', 'version', 'operations', 'sources']) {
    assert.equal(esm[name], cjs[name], name);
  }
  assert.equal(esm.default, cjs);
});

test('every operation validates its arguments as its signature says (required ones first)', () => {
  const { api } = recordingApi();
  for (const [operation, params] of Object.entries(SIGNATURES)) {
    const requiredCount = params.filter((p) => !p.optional).length;
    assert.throws(() => api[operation](), { name: 'TypeError', message: new RegExp(`^${operation}\\(`) });
    assert.throws(() => api[operation](...new Array(params.length + 1).fill('{}')),
      { message: new RegExp(`takes at most ${params.length} arguments`) });
    assert.ok(requiredCount >= 1 && requiredCount <= params.length);
  }
});
