'use strict';
// Field rules from the spec's schemas, written out by hand (the spec itself is never shipped).
// Each check appends human-readable problems to a list; a non-empty list becomes one 400 with
// one bad_request error per problem (only a 400 may carry several errors [SPEC]).
const { isPlainObject } = require('../http-util');

const METADATA_MAX_BYTES = 4096;
const TEXT_MAX_CHARS = 4096;

function codePoints(text) {
  let count = 0;
  for (const _ of text) count += 1; // eslint-disable-line no-unused-vars
  return count;
}

function checkString(problems, value, field, { min = 1, max, nullable = false, pattern, patternText } = {}) {
  if (value === undefined) return;
  if (value === null) {
    if (!nullable) problems.push(`${field} must not be null`);
    return;
  }
  if (typeof value !== 'string') { problems.push(`${field} must be a string`); return; }
  const length = codePoints(value);
  if (length < min) problems.push(`${field} must be at least ${min} character(s) long`);
  if (max !== undefined && length > max) problems.push(`${field} must be at most ${max} characters long (got ${length})`);
  if (pattern && !pattern.test(value)) problems.push(`${field} ${patternText}`);
}

// Flat object of strings, numbers and booleans, at most 4 KB serialised [SPEC].
function checkMetadata(problems, value, field = 'metadata') {
  if (value === undefined || value === null) return;
  if (!isPlainObject(value)) { problems.push(`${field} must be an object`); return; }
  for (const [key, item] of Object.entries(value)) {
    if (item !== null && !['string', 'number', 'boolean'].includes(typeof item)) {
      problems.push(`${field}.${key} must be a string, number or boolean (metadata is flat)`);
    }
  }
  const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > METADATA_MAX_BYTES) problems.push(`${field} must be at most 4KB (got ${bytes} bytes)`);
}

function checkUri(problems, value, field, { nullable = true } = {}) {
  checkString(problems, value, field, { max: 2048, nullable });
  if (typeof value === 'string' && !/^[a-z][a-z0-9+.-]*:\/\/\S+$/i.test(value)) problems.push(`${field} must be a URI`);
}

function checkProfile(problems, profile) {
  if (profile === undefined) return;
  if (!isPlainObject(profile)) { problems.push('profile must be an object'); return; }
  checkString(problems, profile.givenName, 'profile.givenName', { max: 128, nullable: true });
  checkString(problems, profile.surname, 'profile.surname', { max: 128, nullable: true });
  checkString(problems, profile.email, 'profile.email', {
    max: 128, nullable: true, pattern: /^[^\s@]+@[^\s@]+\.[^\s@]+$/, patternText: 'must be an email address',
  });
  checkUri(problems, profile.avatarUrl, 'profile.avatarUrl');
  checkString(problems, profile.locale, 'profile.locale', { max: 64, nullable: true });
  for (const key of Object.keys(profile)) {
    if (!['givenName', 'surname', 'email', 'avatarUrl', 'locale'].includes(key)) problems.push(`profile.${key} is not a profile field`);
  }
}

function checkIsoTime(problems, value, field) {
  if (value === undefined) return;
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) problems.push(`${field} must be an ISO 8601 date-time`);
}

function checkBoolean(problems, value, field) {
  if (value !== undefined && typeof value !== 'boolean') problems.push(`${field} must be a boolean`);
}

function requireObjectBody(problems, body) {
  if (!isPlainObject(body)) { problems.push('Request body must be a JSON object'); return false; }
  return true;
}

module.exports = {
  METADATA_MAX_BYTES, TEXT_MAX_CHARS, codePoints, checkString, checkMetadata, checkUri, checkProfile,
  checkIsoTime, checkBoolean, requireObjectBody,
};
