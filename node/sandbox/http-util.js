'use strict';
// Response helpers shared by every route: the two error dialects (Sunshine's {"errors":[…]} and
// Support's {"error","description"}), ISO timestamps with milliseconds, and query parsing that
// understands Sunshine's deepObject style (`filter[userId]=…`, `page[before]=…`).

// A handler's answer. Handlers return these instead of writing to the socket so that the fault
// layer can decide afterwards whether the client ever sees them ("succeeded, response lost").
function reply(status, body, headers = {}) {
  return { status, body, headers };
}

// Sunshine errors: only a 400 may carry more than one error [SPEC].
function sunshineError(status, code, title) {
  return reply(status, { errors: [{ code, title }] });
}

function badRequest(titles) {
  const list = Array.isArray(titles) ? titles : [titles];
  return reply(400, { errors: list.map((title) => ({ code: 'bad_request', title })) });
}

function supportError(status, error, description, details) {
  const body = description === undefined ? { error } : { error, description };
  if (details) body.details = details;
  return reply(status, body);
}

const SUPPORT_NOT_FOUND = () => supportError(404, 'RecordNotFound', 'Not found');

function iso(ms) {
  return new Date(ms).toISOString();
}

// `a[b]=1&c=2` → {a: {b: '1'}, c: '2'}. A repeated plain key keeps the last value.
function parseQuery(searchParams) {
  const out = {};
  for (const [key, value] of searchParams) {
    const deep = /^([^[\]]+)\[([^[\]]+)\]$/.exec(key);
    if (deep) {
      if (typeof out[deep[1]] !== 'object' || out[deep[1]] === null) out[deep[1]] = {};
      out[deep[1]][deep[2]] = value;
    } else {
      out[key] = value;
    }
  }
  return out;
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

module.exports = { reply, sunshineError, badRequest, supportError, SUPPORT_NOT_FOUND, iso, parseQuery, isPlainObject };
