'use strict';
// The two kinds of error the package throws, kept apart on purpose:
// - a caller mistake caught in JS before the core runs -> TypeError (like Node's own API, and
//   like @mongodb-js/zstd, which validates in JS so the native side can stay thin);
// - a core error ({"error":{code,message}}: bad options, bad config, unknown operation) -> Error
//   whose .code is ERR_PHONE_HANDOFF_<CODE>, so callers can branch on it without parsing text.
// Errors are created here, in JS, so they carry a JS stack (errors made by Node-API do not).
// Invalid *payloads* are never errors: parse() returns {errors:[…]} as a result.

function describe(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') {
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `${typeof value} ${String(value)}`;
  }
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `a ${value.constructor.name}`;
  if (value instanceof Date) return 'a Date';
  return typeof value === 'symbol' ? 'a symbol' : 'an object';
}

// `where` is the call as the caller wrote it, e.g. "parse(source, body)".
function argumentError(where, message, value, { showValue = true } = {}) {
  const err = new TypeError(`${where}: ${message}${showValue ? `; got ${describe(value)}` : ''}`);
  err.code = 'ERR_INVALID_ARG_VALUE';
  return err;
}

function coreError(operation, { code, message }) {
  const err = new Error(String(message));
  err.code = `ERR_PHONE_HANDOFF_${String(code).toUpperCase()}`;
  err.operation = operation;
  return err;
}

module.exports = { argumentError, coreError, describe };
