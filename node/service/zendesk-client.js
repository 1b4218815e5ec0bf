'use strict';
// HTTP to Zendesk: Sunshine Conversations (Basic keyId:secret or an HS256 JWT) and the Support API
// (email/token). Keep-alive connections (undici's pool behind fetch), a timeout on every request,
// and failures classified so the worker can decide: a response (any status) or a transport error
// ('timeout' | 'connection'). Credentials never appear in errors or logs.
const crypto = require('node:crypto');

const b64url = (buf) => Buffer.from(buf).toString('base64url');

// Sunshine JWT: header {alg: HS256, typ: JWT, kid: keyId}, payload {scope: app|integration}.
function sunshineJwt(keyId, secret) {
  const scope = keyId.startsWith('int_') ? 'integration' : 'app';
  const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: keyId }));
  const body = b64url(JSON.stringify({ scope }));
  const sig = crypto.createHmac('sha256', secret).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${sig}`;
}

// Where each API lives. Zendesk-licensed accounts: https://{subdomain}.zendesk.com/sc/v2/…; legacy
// standalone Sunshine accounts: https://api.smooch.io/v2/… (or api.eu-1.smooch.io).
function resolveBases(zendesk) {
  const support = (zendesk.url || (zendesk.subdomain && `https://${zendesk.subdomain}.zendesk.com`) || '').replace(/\/+$/, '');
  const sunshine = (zendesk.sunshineUrl || (support && `${support}/sc`) || '').replace(/\/+$/, '');
  if (!support && !sunshine) throw new Error('zendesk: set "subdomain" or "url" (and optionally "sunshineUrl")');
  return { support, sunshine };
}

class TransportError extends Error {
  constructor(kind, message) { super(message); this.kind = kind; }
}

function createZendeskClient(zendesk, { timeoutMs = 10_000, fetchImpl = fetch } = {}) {
  const bases = resolveBases(zendesk);
  const sc = zendesk.sunshine || {};
  const sunshineAuth = sc.auth === 'jwt'
    ? `Bearer ${sunshineJwt(sc.keyId, sc.secret)}`
    : `Basic ${Buffer.from(`${sc.keyId}:${sc.secret}`).toString('base64')}`;
  const sp = zendesk.support || {};
  const supportAuth = sp.email && sp.token ? `Basic ${Buffer.from(`${sp.email}/token:${sp.token}`).toString('base64')}` : null;

  function urlFor(api, path) {
    if (api === 'support') return bases.support + path;
    // Plans write Sunshine paths as the Zendesk-licensed form (/sc/v2/apps/…).
    return bases.sunshine + path.replace(/^\/sc(?=\/v2\/)/, '');
  }

  async function request({ api = 'sunshine', method, path, body }) {
    const headers = { accept: 'application/json' };
    if (api === 'support') {
      if (!supportAuth) throw new TransportError('config', 'zendesk.support.email and .token are needed for Support API calls');
      headers.authorization = supportAuth;
    } else {
      headers.authorization = sunshineAuth;
    }
    if (body !== undefined && body !== null) headers['content-type'] = 'application/json';
    let res;
    try {
      res = await fetchImpl(urlFor(api, path), {
        method, headers, body: body === undefined || body === null ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
      throw new TransportError(timedOut ? 'timeout' : 'connection',
        `${method} ${path}: ${timedOut ? `no response within ${timeoutMs} ms` : `connection failed (${(err.cause && err.cause.code) || err.message})`}`);
    }
    let text;
    try { text = await res.text(); } catch (err) {
      throw new TransportError('connection', `${method} ${path}: the connection dropped while reading the response`);
    }
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch { parsed = { raw: text.slice(0, 500) }; }
    return { status: res.status, headers: Object.fromEntries(res.headers), body: parsed };
  }

  // A follow-up URL from an answer (links.next/prev) as a path for request(), or null when it is
  // missing or points at another host (never send credentials elsewhere).
  function sameHostPath(url, api) {
    if (typeof url !== 'string' || !url) return null;
    const base = new URL(api === 'support' ? bases.support : bases.sunshine);
    let target;
    try { target = new URL(url, base); } catch { return null; }
    if (target.origin !== base.origin) return null;
    const rel = target.pathname + target.search;
    if (api === 'support') return rel;
    // Sunshine paths are written in the Zendesk-licensed form; undo the base's own prefix.
    const prefix = base.pathname.replace(/\/+$/, '');
    const rest = prefix && rel.startsWith(prefix) ? rel.slice(prefix.length) : rel;
    return rest.startsWith('/v2/') ? `/sc${rest}` : rest;
  }

  return { request, sameHostPath, bases };
}

module.exports = { createZendeskClient, TransportError, sunshineJwt };
