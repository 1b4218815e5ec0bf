'use strict';
// Who is calling. Sunshine: Basic keyId:secret or an HS256 JWT whose header names the key (kid)
// and whose payload scope matches the key's scope [SPEC]. Support: Basic `{email}/token:{token}`.
// Comparisons are constant-time; nothing here ever echoes a secret back.
const crypto = require('node:crypto');
const { sunshineError, supportError } = require('./http-util');

const unauthorized = (title) => sunshineError(401, 'unauthorized', title);

function sameText(a, b) {
  const left = Buffer.from(String(a));
  const right = Buffer.from(String(b));
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}

function decodeSegment(segment) {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return null;
  }
}

function verifyJwt(token, keys) {
  const parts = token.split('.');
  if (parts.length !== 3) return { error: unauthorized('Invalid JWT') };
  const header = decodeSegment(parts[0]);
  const payload = decodeSegment(parts[1]);
  if (!header || !payload) return { error: unauthorized('Invalid JWT') };
  // Unsigned tokens (alg "none" or no signature) are not accepted [SPEC].
  if (header.alg !== 'HS256' || parts[2] === '') return { error: unauthorized('JWT must be signed with HS256') };
  const key = typeof header.kid === 'string' ? keys.get(header.kid) : undefined;
  if (!key) return { error: unauthorized('Invalid JWT key id') };
  const expected = crypto.createHmac('sha256', key.secret).update(`${parts[0]}.${parts[1]}`).digest('base64url');
  if (!sameText(expected, parts[2])) return { error: unauthorized('Invalid JWT signature') };
  if (payload.scope !== key.scope) return { error: unauthorized(`JWT scope must be "${key.scope}" for this key`) };
  if (typeof payload.exp === 'number' && payload.exp * 1000 < Date.now()) return { error: unauthorized('JWT has expired') };
  return { key };
}

// → {auth: {keyId, scope, integrationId?, method}} or {error: reply}
function authenticateSunshine(header, state) {
  if (!header) return { error: unauthorized('Authorization is required') };
  const [kind, value = ''] = header.split(/\s+/, 2);
  let key;
  let method;
  if (/^basic$/i.test(kind)) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const candidate = colon > 0 ? state.keys.get(decoded.slice(0, colon)) : undefined;
    if (!candidate || !sameText(candidate.secret, decoded.slice(colon + 1))) {
      return { error: unauthorized('Invalid credentials') };
    }
    key = candidate;
    method = 'basic';
  } else if (/^bearer$/i.test(kind)) {
    const result = verifyJwt(value, state.keys);
    if (result.error) return result;
    key = result.key;
    method = 'jwt';
  } else {
    return { error: unauthorized('Authorization is required') };
  }
  return { auth: { keyId: key.id, scope: key.scope, integrationId: key.integrationId, method } };
}

function authenticateSupport(header, state) {
  const failed = { error: supportError(401, "Couldn't authenticate you") };
  if (!header || !/^basic\s+/i.test(header)) return failed;
  const decoded = Buffer.from(header.replace(/^basic\s+/i, ''), 'base64').toString('utf8');
  const expected = `${state.credentials.supportEmail}/token:${state.credentials.supportToken}`;
  if (!sameText(decoded, expected)) return failed;
  const agent = [...state.support.users.values()].find((u) => u.email === state.credentials.supportEmail);
  return { auth: { supportUserId: agent ? agent.id : null, method: 'api_token' } };
}

// For tests and tools: a JWT signed the way Sunshine expects.
function signJwt({ keyId, secret, scope, alg = 'HS256', extra = {} }) {
  const header = Buffer.from(JSON.stringify({ alg, typ: 'JWT', kid: keyId })).toString('base64url');
  const payload = Buffer.from(JSON.stringify({ scope, ...extra })).toString('base64url');
  const signature = alg === 'none' ? '' : crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

module.exports = { authenticateSunshine, authenticateSupport, signJwt, sameText };
