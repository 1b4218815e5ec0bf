'use strict';
// Outgoing webhooks and the endpoints that configure them. A delivery is a POST of
// {app:{id}, webhook:{id, version:"v2"}, events:[{id, type, createdAt, payload}]} with the
// webhook's secret verbatim in X-API-Key. Like Sunshine: up to 5 attempts within 15 minutes with
// exponential spacing, a 20 s timeout, and no retry after 400/401/403/404/406. The schedule and
// the timeout scale with settings.webhookTimeFactor so tests can run it in milliseconds.
const http = require('node:http');
const https = require('node:https');
const { reply, sunshineError, badRequest, iso } = require('../http-util');
const { presentConversation } = require('./conversations');
const { presentUser } = require('./users');
const { presentMessage } = require('./messages');
const v = require('./validate');

const MAX_ATTEMPTS = 5;
const RETRY_DELAYS_MS = [30000, 60000, 120000, 240000]; // 7.5 min of waiting + 5 × 20 s timeouts < 15 min
const TIMEOUT_MS = 20000;
const NO_RETRY = new Set([400, 401, 403, 404, 406]);
const MAX_WEBHOOKS_PER_APP = 10;
const DELIVERY_LOG_SIZE = 500;
const KNOWN_TRIGGERS = [
  'conversation:create', 'conversation:join', 'conversation:leave', 'conversation:remove', 'conversation:message',
  'conversation:message:delivery:channel', 'conversation:message:delivery:failure', 'conversation:message:delivery:user',
  'conversation:postback', 'conversation:read', 'conversation:referral', 'conversation:typing',
  'client:add', 'client:remove', 'client:update', 'switchboard:acceptControl', 'switchboard:acceptControl:failure',
  'switchboard:offerControl', 'switchboard:offerControl:failure', 'switchboard:passControl',
  'switchboard:passControl:failure', 'switchboard:releaseControl', 'user:merge', 'user:remove', 'user:update', '*',
];

function createWebhookDispatcher(state) {
  const timers = new Set();
  const requests = new Set();
  const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };
  let pending = 0;
  let waiters = [];
  let closed = false;

  const settle = () => {
    pending -= 1;
    if (pending === 0) { for (const resolve of waiters) resolve(); waiters = []; }
  };

  function record(delivery) {
    state.deliveries.push(delivery);
    if (state.deliveries.length > DELIVERY_LOG_SIZE) state.deliveries.shift();
  }

  function attempt(delivery, body, webhook) {
    if (closed) { settle(); return; }
    const factor = state.settings.webhookTimeFactor;
    const started = Date.now();
    const url = new URL(delivery.target);
    const transport = url.protocol === 'https:' ? https : http;
    let finished = false;
    const finish = (outcome) => {
      if (finished) return;
      finished = true;
      delivery.attempts.push({ at: iso(started), durationMs: Date.now() - started, ...outcome });
      const retryable = outcome.status === undefined || (!NO_RETRY.has(outcome.status) && (outcome.status < 200 || outcome.status > 299));
      if (outcome.status >= 200 && outcome.status <= 299) {
        delivery.state = 'delivered';
      } else if (!retryable || delivery.attempts.length >= MAX_ATTEMPTS || closed) {
        delivery.state = 'failed';
      } else {
        const timer = setTimeout(() => { timers.delete(timer); attempt(delivery, body, webhook); },
          RETRY_DELAYS_MS[delivery.attempts.length - 1] * factor);
        timers.add(timer);
        return;
      }
      settle();
    };
    const request = transport.request(url, {
      method: 'POST',
      agent: agents[url.protocol === 'https:' ? 'https' : 'http'],
      headers: {
        'Content-Type': 'application/json',
        'Content-Length': Buffer.byteLength(body),
        'X-API-Key': webhook.secret,
        'User-Agent': 'phone-handoff-sandbox (Sunshine Conversations webhook emulation)',
      },
    }, (response) => {
      response.resume();
      response.on('end', () => finish({ status: response.statusCode }));
      response.on('error', (err) => finish({ error: err.message }));
    });
    requests.add(request);
    request.setTimeout(Math.max(1, TIMEOUT_MS * factor), () => request.destroy(new Error('timed out')));
    request.on('error', (err) => finish({ error: err.message }));
    request.on('close', () => requests.delete(request));
    request.end(body);
  }

  // A switchboard integration on standby gets conversation events only with deliverStandbyEvents.
  function wantsEvent(integration, type, conversation) {
    if (!conversation || !type.startsWith('conversation:') || !state.switchboard.enabled) return true;
    const sbi = state.switchboardIntegrations.find((s) => s.integrationId === integration.id);
    if (!sbi) return true;
    return conversation.activeSbiId === sbi.id || sbi.deliverStandbyEvents;
  }

  function deliver(webhook, events) {
    const envelope = { app: { id: state.app.id }, webhook: { id: webhook.id, version: 'v2' }, events };
    const delivery = {
      eventIds: events.map((e) => e.id), types: events.map((e) => e.type), webhookId: webhook.id,
      target: webhook.target, state: 'pending', attempts: [], envelope,
    };
    record(delivery);
    attempt(delivery, JSON.stringify(envelope), webhook);
  }

  // With settings.webhookBatchMs > 0, events for one webhook within that window share one POST,
  // as Sunshine may send several events (even of different types) in one delivery.
  const batches = new Map();
  function queue(webhook, event) {
    pending += 1;
    const windowMs = state.settings.webhookBatchMs;
    if (!(windowMs > 0)) { deliver(webhook, [event]); return; }
    let batch = batches.get(webhook);
    if (!batch) {
      batch = { events: [] };
      batches.set(webhook, batch);
      batch.timer = setTimeout(() => {
        timers.delete(batch.timer);
        batches.delete(webhook);
        pending -= batch.events.length - 1; // one delivery settles once for the whole batch
        deliver(webhook, batch.events);
      }, windowMs);
      timers.add(batch.timer);
    }
    batch.events.push(event);
  }

  // payload: an object, or a function (webhook) → object when it depends on webhook options.
  function emit(type, payload, conversation) {
    if (closed) return;
    for (const integration of state.integrations.values()) {
      for (const webhook of integration.webhooks) {
        if (!webhook.target || !(webhook.triggers.includes(type) || webhook.triggers.includes('*'))) continue;
        if (!wantsEvent(integration, type, conversation)) continue;
        queue(webhook, { id: state.newId(), type, createdAt: iso(Date.now()), payload: typeof payload === 'function' ? payload(webhook) : payload });
      }
    }
  }

  function emitMessage(conversation, message) {
    emit('conversation:message', (webhook) => {
      const presented = presentMessage(message);
      const user = message.author.userId && state.users.get(message.author.userId);
      if (user) {
        presented.author.user = presentUser(user, { full: false });
        if (webhook.includeFullUser) presented.author.user.profile = { ...user.profile };
      }
      return { conversation: presentConversation(state, conversation, { truncated: true }), message: presented };
    }, conversation);
  }

  return {
    emit,
    emitMessage,
    // Resolves once every delivery (with its retries) has finished.
    idle: () => (pending === 0 ? Promise.resolve() : new Promise((resolve) => waiters.push(resolve))),
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      for (const request of requests) request.destroy();
      agents.http.destroy();
      agents.https.destroy();
      pending = 0;
      for (const resolve of waiters) resolve();
      waiters = [];
    },
  };
}

// --- webhook configuration endpoints ---

function presentWebhook(webhook) {
  return {
    id: webhook.id, version: webhook.version, target: webhook.target, triggers: [...webhook.triggers],
    secret: webhook.secret, includeFullUser: webhook.includeFullUser, includeFullSource: webhook.includeFullSource,
  };
}

// An integration key sees only its own integration ("me" names it).
function findIntegration(ctx) {
  const { state, auth, params } = ctx;
  const id = params.integrationId === 'me' && auth.scope === 'integration' ? auth.integrationId : params.integrationId;
  const integration = state.integrations.get(id);
  if (!integration) return { error: sunshineError(404, 'integration_not_found', 'Integration not found') };
  if (auth.scope === 'integration' && auth.integrationId !== integration.id) return { error: sunshineError(403, 'forbidden', 'Forbidden') };
  return { integration };
}

function checkWebhookFields(problems, body, { creating }) {
  if (creating || body.target !== undefined) {
    if (typeof body.target !== 'string' || !/^https?:\/\/\S+$/.test(body.target)) problems.push('target is required and must be an http(s) URL');
  }
  if (creating || body.triggers !== undefined) {
    if (!Array.isArray(body.triggers) || body.triggers.length === 0) problems.push('triggers is required and must be a non-empty array');
    else for (const trigger of body.triggers) if (!KNOWN_TRIGGERS.includes(trigger)) problems.push(`unknown trigger "${trigger}" (triggers are case-sensitive)`);
  }
  v.checkBoolean(problems, body.includeFullUser, 'includeFullUser');
  v.checkBoolean(problems, body.includeFullSource, 'includeFullSource');
}

function listWebhooks(ctx) {
  const { integration, error } = findIntegration(ctx);
  return error || reply(200, { webhooks: integration.webhooks.map(presentWebhook) });
}

function createWebhook(ctx) {
  const { state, body } = ctx;
  const { integration, error } = findIntegration(ctx);
  if (error) return error;
  const problems = [];
  if (!v.requireObjectBody(problems, body)) return badRequest(problems);
  checkWebhookFields(problems, body, { creating: true });
  if (problems.length) return badRequest(problems);
  const total = [...state.integrations.values()].reduce((n, i) => n + i.webhooks.length, 0);
  if (total >= MAX_WEBHOOKS_PER_APP) return badRequest('An app can have at most 10 webhooks');
  const webhook = {
    id: state.newId(), version: 'v2', target: body.target, triggers: [...body.triggers],
    secret: require('node:crypto').randomBytes(24).toString('base64url'),
    includeFullUser: body.includeFullUser === true, includeFullSource: body.includeFullSource === true,
  };
  integration.webhooks.push(webhook);
  return reply(201, { webhook: presentWebhook(webhook) });
}

function findWebhook(ctx) {
  const found = findIntegration(ctx);
  if (found.error) return found;
  const webhook = found.integration.webhooks.find((w) => w.id === ctx.params.webhookId);
  return webhook ? { integration: found.integration, webhook } : { error: sunshineError(404, 'webhook_not_found', 'Webhook not found') };
}

function getWebhook(ctx) {
  const { webhook, error } = findWebhook(ctx);
  return error || reply(200, { webhook: presentWebhook(webhook) });
}

function updateWebhook(ctx) {
  const { webhook, error } = findWebhook(ctx);
  if (error) return error;
  const problems = [];
  if (!v.requireObjectBody(problems, ctx.body)) return badRequest(problems);
  checkWebhookFields(problems, ctx.body, { creating: false });
  if (problems.length) return badRequest(problems);
  for (const key of ['target', 'triggers', 'includeFullUser', 'includeFullSource']) if (ctx.body[key] !== undefined) webhook[key] = ctx.body[key];
  return reply(200, { webhook: presentWebhook(webhook) });
}

function deleteWebhook(ctx) {
  const { integration, webhook, error } = findWebhook(ctx);
  if (error) return error;
  integration.webhooks = integration.webhooks.filter((w) => w !== webhook);
  return reply(200, {});
}

const base = '/sc/v2/apps/:appId/integrations/:integrationId/webhooks';
const routes = [
  { method: 'GET', path: base, handler: listWebhooks, operationId: 'ListWebhooks' },
  { method: 'POST', path: base, handler: createWebhook, operationId: 'CreateWebhook' },
  { method: 'GET', path: `${base}/:webhookId`, handler: getWebhook, operationId: 'GetWebhook' },
  { method: 'PATCH', path: `${base}/:webhookId`, handler: updateWebhook, operationId: 'UpdateWebhook' },
  { method: 'DELETE', path: `${base}/:webhookId`, handler: deleteWebhook, operationId: 'DeleteWebhook' },
];

module.exports = { createWebhookDispatcher, routes, MAX_ATTEMPTS, RETRY_DELAYS_MS, TIMEOUT_MS, NO_RETRY };
