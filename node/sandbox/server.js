'use strict';
// The HTTP front: routes Sunshine (/sc/v2/apps/{appId}/…) and Support (/api/v2/…) requests to
// their handlers after authentication, scope checks and body limits; applies faults; logs every
// API request (secrets removed) in a bounded ring buffer. /sandbox/… is the loopback-only
// inspection API and the browser page.
const http = require('node:http');
const { authenticateSunshine, authenticateSupport } = require('./auth');
const { sunshineError, supportError, parseQuery } = require('./http-util');
const { faultReply } = require('./faults');

const SUPPORT_MAX_BODY_BYTES = 1024 * 1024;
const LOGGED_BODY_BYTES = 32 * 1024;
const SECRET_HEADERS = /^(authorization|proxy-authorization|x-api-key|cookie|set-cookie)$|secret|token|password/i;

function compileRoute(route) {
  const names = [];
  const source = route.path.split(/(:[A-Za-z]+)/).map((piece) => {
    if (piece.startsWith(':')) { names.push(piece.slice(1)); return '([^/]+?)'; }
    return piece.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
  }).join('');
  // Zendesk Support answers /api/v2/… with or without the ".json" suffix.
  const optionalJson = route.path.startsWith('/api/v2/') && route.path.endsWith('.json')
    ? `${source.slice(0, -'\\.json'.length)}(?:\\.json)?` : source;
  return { ...route, regex: new RegExp(`^${optionalJson}$`), names };
}

function matchRoute(routes, method, path) {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.regex.exec(path);
    if (!match) continue;
    const params = {};
    try {
      route.names.forEach((name, i) => { params[name] = decodeURIComponent(match[i + 1]); });
    } catch {
      return {}; // a malformed %-escape names nothing: 404, not a crash
    }
    return { route, params };
  }
  return {};
}

function sanitizeHeaders(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) if (!SECRET_HEADERS.test(name)) out[name] = value;
  return out;
}

function isLoopback(address) {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

// Reads the body, keeping at most `limit` + 1 bytes so an oversized upload cannot exhaust memory.
function readBody(req, limit) {
  return new Promise((resolve) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= limit + 1) chunks.push(chunk);
    });
    req.on('end', () => resolve({ buffer: Buffer.concat(chunks), size }));
    req.on('error', () => resolve({ buffer: Buffer.alloc(0), size: 0, aborted: true }));
  });
}

function createServer({ state, faults, webhooks, agentWorkspace, apiRoutes, sandboxHandler }) {
  const routes = apiRoutes.map(compileRoute);
  const holds = new Set();

  function logRequest(entry) {
    state.requestSeq += 1;
    entry.seq = state.requestSeq;
    state.requestLog.push(entry);
    while (state.requestLog.length > state.settings.requestLogSize) state.requestLog.shift();
  }

  function send(res, result) {
    const text = JSON.stringify(result.body);
    res.writeHead(result.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(text),
      ...result.headers,
    });
    res.end(text);
  }

  function errorFor(area, status, code, title) {
    if (area === 'support') return supportError(status, code === 'not_found' ? 'InvalidEndpoint' : code, title);
    return sunshineError(status, code, title);
  }

  function parseBody(area, req, buffer) {
    if (buffer.length === 0) return { body: undefined };
    const type = String(req.headers['content-type'] || '');
    if (!/^application\/json\b/i.test(type)) return { error: errorFor(area, 400, 'bad_request', 'Content-Type must be application/json') };
    try {
      return { body: JSON.parse(buffer.toString('utf8')) };
    } catch {
      return { error: errorFor(area, 400, 'bad_request', 'Request body is not valid JSON') };
    }
  }

  async function runApi(req, res, url, area) {
    const method = req.method;
    const path = url.pathname;
    const limit = area === 'sunshine' ? state.settings.maxJsonBytes : SUPPORT_MAX_BODY_BYTES;
    const { buffer, size, aborted } = await readBody(req, limit);
    if (aborted) return;
    const entry = {
      at: new Date().toISOString(), area, method, path, query: url.search.slice(1),
      headers: sanitizeHeaders(req.headers), body: null, status: null,
    };
    // Bodies are logged whole up to LOGGED_BODY_BYTES, so a full log stays a few tens of MB at most.
    if (size > LOGGED_BODY_BYTES) {
      entry.body = `<${size} bytes, not logged>`;
    } else if (buffer.length) {
      const text = buffer.toString('utf8');
      try { entry.body = JSON.parse(text); } catch { entry.body = text.slice(0, 2048); }
    }
    logRequest(entry);

    const plan = faults.plan(method, path);
    if (plan.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, plan.delayMs));
    const fault = plan.terminal;
    if (fault) entry.fault = fault.kind;
    if (fault && fault.kind === 'status') {
      const result = faultReply(fault, area);
      entry.status = result.status;
      send(res, result);
      return;
    }
    if (fault && fault.kind === 'drop') {
      entry.status = 'dropped';
      req.socket.destroy();
      return;
    }
    if (fault && fault.kind === 'timeout') {
      entry.status = 'held';
      const timer = setTimeout(() => { holds.delete(timer); req.socket.destroy(); }, fault.holdMs === undefined ? state.settings.timeoutHoldMs : fault.holdMs);
      holds.add(timer);
      req.socket.once('close', () => { clearTimeout(timer); holds.delete(timer); });
      return;
    }

    const result = await dispatch(req, url, area, buffer, size);
    if (fault && fault.kind === 'lost_response') {
      entry.status = `lost:${result.status}`;
      req.socket.destroy();
      return;
    }
    entry.status = result.status;
    send(res, result);
  }

  async function dispatch(req, url, area, buffer, size) {
    const { route, params } = matchRoute(routes, req.method, url.pathname);
    // An unknown method on a known path is a 404 too, as an Express router answers.
    if (!route) return errorFor(area, 404, 'not_found', 'Resource not found');
    let auth;
    if (area === 'sunshine') {
      const result = authenticateSunshine(req.headers.authorization, state);
      if (result.error) return result.error;
      auth = result.auth;
      if (params.appId !== state.app.id) return sunshineError(404, 'app_not_found', 'App not found');
      const scopes = route.scopes || ['app', 'integration'];
      if (!scopes.includes(auth.scope)) return sunshineError(403, 'forbidden', 'Forbidden');
      if (size > state.settings.maxJsonBytes) {
        const { status, code, title } = state.settings.bodyTooLarge;
        return sunshineError(status, code, title);
      }
    } else {
      const result = authenticateSupport(req.headers.authorization, state);
      if (result.error) return result.error;
      auth = result.auth;
      if (size > SUPPORT_MAX_BODY_BYTES) return supportError(413, 'RequestTooLarge', 'Request body is too large');
    }
    const parsed = parseBody(area, req, buffer);
    if (parsed.error) return parsed.error;
    const host = req.headers.host || `${server.address().address}:${server.address().port}`;
    const ctx = {
      state, params, url, auth, body: parsed.body, query: parseQuery(url.searchParams),
      baseUrl: `http://${host}`, webhooks, agentWorkspace,
    };
    try {
      return await route.handler(ctx);
    } catch (err) {
      // A sandbox bug must be visible, not a hang: answer 500 and keep serving.
      process.stderr.write(`[sandbox] ${req.method} ${url.pathname} failed: ${err.stack}\n`);
      return errorFor(area, 500, 'internal_server_error', 'Sandbox internal error');
    }
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://sandbox.invalid');
    const path = url.pathname;
    if (path === '/sandbox' || path.startsWith('/sandbox/')) {
      if (!isLoopback(req.socket.remoteAddress)) {
        send(res, { status: 403, body: { error: 'The sandbox inspection API answers loopback clients only' }, headers: {} });
        return;
      }
      sandboxHandler(req, res, url).catch((err) => {
        process.stderr.write(`[sandbox] ${req.method} ${path} failed: ${err.stack}\n`);
        if (!res.headersSent) send(res, { status: 500, body: { error: 'Sandbox internal error' }, headers: {} });
      });
      return;
    }
    const area = path.startsWith('/sc/') ? 'sunshine' : path.startsWith('/api/') ? 'support' : null;
    if (!area) {
      // Still "a request received": log it, so a client aiming at the wrong base URL shows up.
      req.resume();
      logRequest({ at: new Date().toISOString(), area: null, method: req.method, path, query: url.search.slice(1), headers: sanitizeHeaders(req.headers), body: null, status: 404 });
      send(res, sunshineError(404, 'not_found', 'Resource not found'));
      return;
    }
    runApi(req, res, url, area).catch((err) => {
      process.stderr.write(`[sandbox] ${req.method} ${path} failed: ${err.stack}\n`);
      if (!res.headersSent) send(res, errorFor(area, 500, 'internal_server_error', 'Sandbox internal error'));
    });
  });
  server.releaseHolds = () => { for (const timer of holds) clearTimeout(timer); holds.clear(); };
  return { server, send, readBody };
}

module.exports = { createServer, compileRoute, matchRoute, sanitizeHeaders, isLoopback };
