'use strict';
// The loopback-only inspection API under /sandbox/api/ (what tests and the browser page read and
// steer) and the static browser page under /sandbox/. Secrets appear only in GET credentials,
// never in the request log or the page.
const fs = require('node:fs');
const path = require('node:path');
const { presentUser } = require('./sunshine/users');
const { presentConversation } = require('./sunshine/conversations');
const { presentMessage } = require('./sunshine/messages');
const { createSupportUser, presentSupportUser, presentTicket } = require('./support');
const { ticketConversation, ticketMessages } = require('./agent-workspace');
const { compileRoute, matchRoute } = require('./server');
const { isPlainObject } = require('./http-util');

const UI_DIR = path.join(__dirname, 'ui');
const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.wasm': 'application/wasm', '.map': 'application/json',
};

function createInspector({ state, faults, webhooks, agentWorkspace, appDir, send, readBody }) {
  const ok = (body, status = 200) => ({ status, body, headers: {} });
  const problem = (status, message) => ({ status, body: { error: message }, headers: {} });
  const baseOf = (req) => `http://${req.headers.host}`;

  const conversationView = (conversation) => ({
    ...presentConversation(state, conversation),
    participants: [...conversation.participants],
    ticketId: conversation.ticketId,
    messages: conversation.messages.map((m) => ({ ...presentMessage(m), silent: m.silent, deliveredToChannels: m.deliveredToChannels })),
  });

  const ticketView = (ticket, base) => {
    const requester = ticket.requesterId && state.support.users.get(ticket.requesterId);
    return {
      ...presentTicket(ticket, base),
      conversationId: ticket.conversationId,
      requester: requester ? presentSupportUser(requester, base) : null,
      messages: ticketMessages(ticket),
      conversation: ticketConversation(state, ticket),
      notes: [...ticket.notes],
    };
  };

  const appBuilt = () => fs.existsSync(path.join(appDir, 'assets', 'iframe.html'));

  const routes = [
    ['GET', '/sandbox/api/credentials', () => ok({ ...state.credentials })],
    ['GET', '/sandbox/api/app', () => ok({ built: appBuilt(), appDir, iframe: '/sandbox/app/assets/iframe.html', settings: { ...state.settings.appSettings } })],
    ['GET', '/sandbox/api/conversations', () => ok({ conversations: [...state.conversations.values()].map(conversationView) })],
    ['GET', '/sandbox/api/conversations/:id', ({ params }) => {
      const conversation = state.conversations.get(params.id);
      return conversation ? ok({ conversation: conversationView(conversation) }) : problem(404, 'no such conversation');
    }],
    ['GET', '/sandbox/api/tickets', ({ req }) => ok({ tickets: [...state.support.tickets.values()].map((t) => ticketView(t, baseOf(req))) })],
    ['GET', '/sandbox/api/tickets/:id', ({ params, req }) => {
      const ticket = state.support.tickets.get(Number(params.id));
      return ticket ? ok({ ticket: ticketView(ticket, baseOf(req)) }) : problem(404, 'no such ticket');
    }],
    ['POST', '/sandbox/api/tickets/:id/close', ({ params, body, req }) => {
      const status = body && body.status !== undefined ? body.status : 'closed';
      if (!['closed', 'solved'].includes(status)) return problem(400, 'status must be "closed" or "solved"');
      const ticket = agentWorkspace.closeTicket(Number(params.id), status);
      return ticket ? ok({ ticket: ticketView(ticket, baseOf(req)) }) : problem(404, 'no such ticket');
    }],
    ['POST', '/sandbox/api/tickets/:id/reply', ({ params, body, req }) => {
      const { ticket, message, error } = agentWorkspace.agentReply(Number(params.id), body && body.text);
      if (error) return problem(error === 'no such ticket' ? 404 : 400, error);
      return ok({ ticket: ticketView(ticket, baseOf(req)), message: presentMessage(message) }, 201);
    }],
    ['GET', '/sandbox/api/users', ({ req }) => ok({
      messaging: [...state.users.values()].map((u) => presentUser(u)),
      support: [...state.support.users.values()].map((u) => ({ ...presentSupportUser(u, baseOf(req)), searchable: u.indexedMs <= Date.now() })),
    })],
    ['POST', '/sandbox/api/support/users', ({ body, req }) => {
      if (!isPlainObject(body)) return problem(400, 'body must be a JSON object like {"name","phone","email","external_id","role","indexed"}');
      const { indexed = true, ...fields } = body;
      const { user, error } = createSupportUser(state, fields, { indexed: indexed !== false });
      return error ? { ...error } : ok({ user: presentSupportUser(user, baseOf(req)) }, 201);
    }],
    ['GET', '/sandbox/api/requests', ({ url }) => {
      const since = Number(url.searchParams.get('since') || 0);
      return ok({ requests: state.requestLog.filter((r) => r.seq > since) });
    }],
    ['DELETE', '/sandbox/api/requests', () => { state.requestLog = []; return ok({}); }],
    ['GET', '/sandbox/api/webhooks', () => ok({ deliveries: state.deliveries })],
    ['POST', '/sandbox/api/webhooks/target', ({ body }) => {
      if (!isPlainObject(body) || (body.target !== null && !(typeof body.target === 'string' && /^https?:\/\/\S+$/.test(body.target)))) {
        return problem(400, 'body must be {"target": "http(s)://…"} or {"target": null}');
      }
      const integration = [...state.integrations.values()].find((i) => i.type === 'custom');
      integration.webhooks[0].target = body.target;
      return ok({ target: body.target });
    }],
    ['GET', '/sandbox/api/faults', () => ok({ faults: faults.list() })],
    ['POST', '/sandbox/api/faults', ({ body }) => {
      const { rule, problems } = faults.add(body);
      return problems ? problem(400, problems.join('; ')) : ok({ fault: rule }, 201);
    }],
    ['DELETE', '/sandbox/api/faults', () => { faults.clear(); return ok({}); }],
    ['DELETE', '/sandbox/api/faults/:id', ({ params }) => (faults.remove(params.id) ? ok({}) : problem(404, 'no such fault'))],
    ['GET', '/sandbox/api/settings', () => ok({ settings: state.settings })],
    ['POST', '/sandbox/api/settings', ({ body }) => {
      try {
        state.updateSettings(body);
      } catch (err) {
        return problem(400, err.message);
      }
      return ok({ settings: state.settings });
    }],
    ['POST', '/sandbox/api/reset', () => { state.reset(); faults.clear(); return ok({}); }],
    ['GET', '/sandbox/api/switchboard', () => ok({ switchboard: { ...state.switchboard }, switchboardIntegrations: state.switchboardIntegrations.map((s) => ({ ...s })) })],
    ['GET', '/sandbox/api/idle', async () => { await webhooks.idle(); return ok({}); }],
  ].map(([method, routePath, handler]) => compileRoute({ method, path: routePath, handler }));

  function serveFile(res, root, relative) {
    const file = path.resolve(root, `.${path.posix.normalize(`/${relative}`)}`);
    if (!file.startsWith(path.resolve(root) + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': CONTENT_TYPES[path.extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
    fs.createReadStream(file).pipe(res);
  }

  return async function handle(req, res, url) {
    const pathname = url.pathname;
    if (pathname === '/sandbox') { res.writeHead(302, { Location: '/sandbox/' }); res.end(); return; }
    if (pathname === '/sandbox/') { serveFile(res, UI_DIR, 'index.html'); return; }
    if (pathname.startsWith('/sandbox/ui/')) { serveFile(res, UI_DIR, decodeURIComponent(pathname.slice('/sandbox/ui/'.length))); return; }
    if (pathname.startsWith('/sandbox/app/')) { serveFile(res, appDir, decodeURIComponent(pathname.slice('/sandbox/app/'.length))); return; }
    const { route, params } = matchRoute(routes, req.method, pathname);
    const { buffer } = await readBody(req, 1024 * 1024);
    if (!route) { send(res, problem(404, `no inspection route ${req.method} ${pathname}`)); return; }
    let body;
    if (buffer.length) {
      try { body = JSON.parse(buffer.toString('utf8')); } catch { send(res, problem(400, 'body is not valid JSON')); return; }
    }
    send(res, await route.handler({ req, url, params, body }));
  };
}

module.exports = { createInspector };
