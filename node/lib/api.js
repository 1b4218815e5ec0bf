'use strict';
// The package's API over any backend: validates arguments in JS (clear TypeErrors naming the
// call), turns them into what the core takes (strings or bytes), makes ONE coarse call, parses
// the JSON result once, and turns a core error into an Error with a stable .code.
// No core logic lives here: what a payload means is decided by the core alone.
// Works in Node and in browsers (no Node built-ins), so node/browser.mjs can reuse it.
const { argumentError, coreError } = require('./errors.js');

const SOURCES = Object.freeze(['canonical', 'vapi', 'retell', 'elevenlabs', 'bland']);

const required = (name, kind) => ({ name, kind, optional: false });
const optional = (name, kind) => ({ name, kind, optional: true });

// One line per core operation (the same order and arity as core/src/api.cpp's export list;
// tests/node/package.test.mjs checks the names against the core). Kinds are described below.
const SIGNATURES = Object.freeze({
  parse: [required('source', 'source'), required('body', 'json'), optional('options', 'json')],
  diagnose: [required('source', 'source'), required('body', 'json'), optional('options', 'json')],
  merge: [required('existing', 'json'), required('incoming', 'json')],
  redact: [required('handoffOrText', 'handoffOrText'), optional('config', 'json')],
  render: [required('handoff', 'json'), optional('config', 'json')],
  plan: [required('handoff', 'json'), optional('config', 'json'), optional('progress', 'json')],
  deliver: [required('source', 'source'), required('body', 'json'), optional('config', 'json'),
    optional('progress', 'json'), optional('options', 'json')],
  verify: [required('source', 'source'), required('request', 'json'), required('body', 'raw'),
    optional('auth', 'json')],
  sign: [required('source', 'source'), required('body', 'raw'), required('auth', 'json'),
    optional('now', 'time')],
  conversation: [required('ticketConversation', 'json'), optional('config', 'json')],
});

const isBytes = (v) => ArrayBuffer.isView(v) || v instanceof ArrayBuffer;
const toBytes = (v) => (v instanceof ArrayBuffer ? new Uint8Array(v)
  : v instanceof Uint8Array ? v : new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
const isJsonObject = (v) => v !== null && typeof v === 'object' && !isBytes(v) && !(v instanceof Date);

// Each kind: check the value, return what the core receives (a string or a Uint8Array).
const KINDS = {
  // A platform this package knows; a typo is caught here, before the core.
  source: (v, fail) => {
    if (typeof v !== 'string' || !SOURCES.includes(v)) fail(`must be one of ${SOURCES.join(', ')}`);
    return v;
  },
  // JSON: text or bytes are passed through untouched; objects and arrays are stringified.
  json: (v, fail) => {
    if (typeof v === 'string') return v;
    if (isBytes(v)) return toBytes(v);
    if (isJsonObject(v)) return JSON.stringify(v);
    return fail('must be JSON text, bytes, or an object');
  },
  // A body whose exact bytes are signed: never re-serialise an object into different bytes.
  raw: (v, fail) => {
    if (typeof v === 'string') return v;
    if (isBytes(v)) return toBytes(v);
    return fail('must be the raw body as a string or bytes (signatures cover exact bytes, so objects are not accepted)');
  },
  // redact(): plain text is wrapped as {"text": …}; a handoff is an object or its JSON bytes.
  handoffOrText: (v, fail) => {
    if (typeof v === 'string') return JSON.stringify({ text: v });
    if (isBytes(v)) return toBytes(v);
    if (isJsonObject(v)) return JSON.stringify(v);
    return fail('must be text (a string) or a handoff (an object or its JSON bytes)');
  },
  // "now" for signing: a Date or Unix milliseconds; the core takes Unix milliseconds as JSON.
  time: (v, fail) => {
    const ms = v instanceof Date ? v.getTime() : v;
    if (typeof ms !== 'number') return fail('must be a Date or Unix milliseconds');
    if (!Number.isInteger(ms) || ms < 0) fail('must be a valid time at or after 1970');
    return String(ms);
  },
};

// What an omitted optional argument becomes when a later one is given (plan(h, undefined, p)).
const OMITTED = { json: '{}' };

function signatureText(operation, params, upTo) {
  const shown = params.filter((p, i) => !p.optional || i <= upTo).map((p) => p.name);
  return `${operation}(${shown.join(', ')})`;
}

// "plan(handoff[, config[, progress]])", written the way the core's export list writes it.
function fullSignatureText(operation, params) {
  let text = '';
  let open = 0;
  params.forEach((p, i) => {
    const separator = i ? ', ' : '';
    if (p.optional) { text += `[${separator}${p.name}`; open++; } else text += `${separator}${p.name}`;
  });
  return `${operation}(${text}${']'.repeat(open)})`;
}

function prepareArguments(operation, params, values) {
  if (values.length > params.length) {
    throw argumentError(fullSignatureText(operation, params),
      `takes at most ${params.length} arguments, got ${values.length}`, undefined, { showValue: false });
  }
  let count = values.length;
  while (count > 0 && values[count - 1] === undefined && params[count - 1].optional) count--;
  const prepared = [];
  for (let i = 0; i < count; i++) {
    const param = params[i];
    const value = values[i];
    if (value === undefined && param.optional) { prepared.push(OMITTED[param.kind]); continue; }
    const fail = (message) => {
      throw argumentError(signatureText(operation, params, i), `${param.name} ${message}`, value);
    };
    prepared.push(KINDS[param.kind](value, fail));
  }
  for (let i = count; i < params.length; i++) {
    if (!params[i].optional) {
      throw argumentError(signatureText(operation, params, i),
        `${params[i].name} is required`, undefined, { showValue: false });
    }
  }
  return prepared;
}

function decodeResult(operation, text) {
  const result = JSON.parse(text);
  if (result && typeof result === 'object' && result.error && Object.keys(result).length === 1) {
    throw coreError(operation, result.error);
  }
  return result;
}

// backend: { name, path, version, call(operation, args) -> JSON text }, and from the Node loader
// also `reason` (why this file) and `skipped` (what failed before it) (see backends.js).
function describeBackend({ name, path, reason, skipped }) {
  const described = { name, path };
  // Both tell a user why a fallback happened without running doctor; the browser has neither.
  if (reason) described.reason = reason;
  if (skipped) described.skipped = Object.freeze([...skipped]);
  return Object.freeze(described);
}

function createApi(backend) {
  const api = {};
  for (const [operation, params] of Object.entries(SIGNATURES)) {
    // A named function expression per operation keeps stack traces readable ("at parse").
    api[operation] = {
      [operation](...values) {
        return decodeResult(operation, backend.call(operation, prepareArguments(operation, params, values)));
      },
    }[operation];
  }
  api.backend = describeBackend(backend);
  api.version = backend.version;
  api.operations = Object.freeze(Object.keys(SIGNATURES));
  api.sources = SOURCES;
  return Object.freeze(api);
}

module.exports = { createApi, SIGNATURES, SOURCES };
