'use strict';
// The switchboard: one per app, holding switchboard integrations (Agent Workspace and the
// phone-handoff custom integration by default), and the control actions on a conversation.
// passControl resolves its target by id, then name, then integrationType (ambiguous → 400);
// a target that resolves to nothing is reported asynchronously, as Sunshine does, with a
// switchboard:passControl:failure webhook.
const { reply, sunshineError, badRequest } = require('../http-util');
const { presentConversation, conversationNotFound } = require('./conversations');
const v = require('./validate');

const NAME_PATTERN = /^[A-Za-z0-9_-]+$/;
const MAX_SWITCHBOARD_INTEGRATIONS = 10;

function presentSwitchboard(switchboard) {
  return { id: switchboard.id, enabled: switchboard.enabled, defaultSwitchboardIntegrationId: switchboard.defaultSwitchboardIntegrationId };
}

function presentSbiFull(sbi) {
  const out = {
    id: sbi.id, name: sbi.name, integrationId: sbi.integrationId, integrationType: sbi.integrationType,
    deliverStandbyEvents: sbi.deliverStandbyEvents,
  };
  if (sbi.nextSwitchboardIntegrationId) out.nextSwitchboardIntegrationId = sbi.nextSwitchboardIntegrationId;
  if (sbi.messageHistoryCount) out.messageHistoryCount = sbi.messageHistoryCount;
  return out;
}

// → {sbi, by} | {ambiguous: true} | {notFound: true}
function resolveTarget(state, conversation, value) {
  if (value === 'next') {
    const active = conversation.activeSbiId && state.sbiById(conversation.activeSbiId);
    const next = active && active.nextSwitchboardIntegrationId && state.sbiById(active.nextSwitchboardIntegrationId);
    return next ? { sbi: next, by: 'next' } : { notFound: true };
  }
  const byId = state.sbiById(value);
  if (byId) return { sbi: byId, by: 'id' };
  const byName = state.switchboardIntegrations.find((s) => s.name === value);
  if (byName) return { sbi: byName, by: 'name' };
  const byType = state.switchboardIntegrations.filter((s) => s.integrationType === value);
  if (byType.length > 1) return { ambiguous: true };
  if (byType.length === 1) return { sbi: byType[0], by: 'integrationType' };
  return { notFound: true };
}

function readControlBody(body, { targetRequired }) {
  const problems = [];
  const payload = body === undefined || body === null ? {} : body;
  if (!v.requireObjectBody(problems, payload)) return { problems };
  if (targetRequired && (typeof payload.switchboardIntegration !== 'string' || payload.switchboardIntegration === '')) {
    problems.push('switchboardIntegration is required and must be a string');
  }
  v.checkMetadata(problems, payload.metadata);
  return { problems, payload };
}

function callerSbi(state, auth) {
  return auth.scope === 'integration' ? state.switchboardIntegrations.find((s) => s.integrationId === auth.integrationId) || null : null;
}

// Shared by passControl and Agent Workspace handing control back after a ticket closes.
function applyPassControl(ctx, conversation, target, metadata, reason) {
  const { state, webhooks, agentWorkspace } = ctx;
  conversation.activeSbiId = target.id;
  conversation.pendingSbiId = null;
  const payload = { conversation: presentConversation(state, conversation, { truncated: true }) };
  if (metadata) payload.metadata = { ...metadata };
  if (reason) payload.reason = reason;
  webhooks.emit('switchboard:passControl', payload, conversation);
  if (target.integrationType === 'zd:agentWorkspace') agentWorkspace.onControl(conversation, metadata || {});
}

// The common front of passControl and offerControl: conversation, body and resolved target.
function readTargetedAction(ctx) {
  const conversation = ctx.state.conversations.get(ctx.params.conversationId);
  if (!conversation) return { error: conversationNotFound() };
  const { problems, payload } = readControlBody(ctx.body, { targetRequired: true });
  if (problems.length) return { error: badRequest(problems) };
  const target = resolveTarget(ctx.state, conversation, payload.switchboardIntegration);
  if (target.ambiguous) {
    return { error: badRequest(`switchboardIntegration "${payload.switchboardIntegration}" is ambiguous: more than one switchboard integration matches it`) };
  }
  return { conversation, payload, target };
}

// Failures of control actions arrive as webhooks; the HTTP call itself succeeds [SPEC].
function emitControlFailure(ctx, type, conversation, metadata) {
  ctx.webhooks.emit(type, {
    error: { code: 'switchboard_invalid_target', message: 'Switchboard invalid target' },
    conversation: presentConversation(ctx.state, conversation, { truncated: true }),
    ...(metadata ? { metadata: { ...metadata } } : {}),
  }, conversation);
  return reply(200, {});
}

function passControl(ctx) {
  const { conversation, payload, target, error } = readTargetedAction(ctx);
  if (error) return error;
  if (target.notFound) return emitControlFailure(ctx, 'switchboard:passControl:failure', conversation, payload.metadata);
  // Idempotent for an identified integration naming its target by id, name or next [SPEC ≤17.10.1].
  const idempotent = ctx.auth.scope === 'integration' && target.by !== 'integrationType';
  if (idempotent && conversation.activeSbiId === target.sbi.id) return reply(200, {});
  applyPassControl(ctx, conversation, target.sbi, payload.metadata, null);
  return reply(200, {});
}

function offerControl(ctx) {
  const { conversation, payload, target, error } = readTargetedAction(ctx);
  if (error) return error;
  if (target.notFound || target.sbi.id === conversation.activeSbiId) {
    return emitControlFailure(ctx, 'switchboard:offerControl:failure', conversation, payload.metadata);
  }
  conversation.pendingSbiId = target.sbi.id;
  ctx.webhooks.emit('switchboard:offerControl', {
    conversation: presentConversation(ctx.state, conversation, { truncated: true }),
    ...(payload.metadata ? { metadata: { ...payload.metadata } } : {}),
  }, conversation);
  return reply(200, {});
}

function acceptControl(ctx) {
  const { state, webhooks, agentWorkspace } = ctx;
  const conversation = state.conversations.get(ctx.params.conversationId);
  if (!conversation) return conversationNotFound();
  const { problems, payload } = readControlBody(ctx.body, { targetRequired: false });
  if (problems.length) return badRequest(problems);
  const caller = callerSbi(state, ctx.auth);
  if (ctx.auth.scope === 'integration' && (!caller || caller.id !== conversation.pendingSbiId)) return sunshineError(403, 'forbidden', 'Forbidden');
  if (!conversation.pendingSbiId) return badRequest('There is no pending switchboard integration to accept control');
  const target = state.sbiById(conversation.pendingSbiId);
  conversation.activeSbiId = target.id;
  conversation.pendingSbiId = null;
  webhooks.emit('switchboard:acceptControl', {
    conversation: presentConversation(state, conversation, { truncated: true }),
    ...(payload.metadata ? { metadata: { ...payload.metadata } } : {}),
  }, conversation);
  if (target.integrationType === 'zd:agentWorkspace') agentWorkspace.onControl(conversation, payload.metadata || {});
  return reply(200, {});
}

function applyReleaseControl(ctx, conversation, metadata, reason) {
  conversation.activeSbiId = null;
  conversation.pendingSbiId = null;
  const payload = { conversation: presentConversation(ctx.state, conversation, { truncated: true }) };
  if (metadata) payload.metadata = { ...metadata };
  if (reason) payload.reason = reason;
  ctx.webhooks.emit('switchboard:releaseControl', payload, conversation);
}

function releaseControl(ctx) {
  const { state } = ctx;
  const conversation = state.conversations.get(ctx.params.conversationId);
  if (!conversation) return conversationNotFound();
  const { problems, payload } = readControlBody(ctx.body, { targetRequired: false });
  if (problems.length) return badRequest(problems);
  const caller = callerSbi(state, ctx.auth);
  if (ctx.auth.scope === 'integration' && (!caller || caller.id !== conversation.activeSbiId)) return sunshineError(403, 'forbidden', 'Forbidden');
  applyReleaseControl(ctx, conversation, payload.metadata, null);
  return reply(200, {});
}

// --- switchboard configuration (app scope only) ---

function findSwitchboard(ctx) {
  return ctx.params.switchboardId === ctx.state.switchboard.id ? ctx.state.switchboard : null;
}
const switchboardNotFound = () => sunshineError(404, 'switchboard_not_found', 'Switchboard not found');
const sbiNotFound = () => sunshineError(404, 'switchboard_integration_not_found', 'Switchboard integration not found');

function listSwitchboards(ctx) {
  return reply(200, { switchboards: [presentSwitchboard(ctx.state.switchboard)] });
}

function createSwitchboard() {
  return badRequest('Only one switchboard can be created per app');
}

function updateSwitchboard(ctx) {
  const switchboard = findSwitchboard(ctx);
  if (!switchboard) return switchboardNotFound();
  const problems = [];
  if (!v.requireObjectBody(problems, ctx.body)) return badRequest(problems);
  v.checkBoolean(problems, ctx.body.enabled, 'enabled');
  const defaultId = ctx.body.defaultSwitchboardIntegrationId;
  if (defaultId !== undefined && !ctx.state.sbiById(defaultId)) problems.push('defaultSwitchboardIntegrationId must name a switchboard integration');
  if (problems.length) return badRequest(problems);
  if (ctx.body.enabled !== undefined) switchboard.enabled = ctx.body.enabled;
  if (defaultId !== undefined) switchboard.defaultSwitchboardIntegrationId = defaultId;
  return reply(200, { switchboard: presentSwitchboard(switchboard) });
}

function listSbis(ctx) {
  if (!findSwitchboard(ctx)) return switchboardNotFound();
  return reply(200, { switchboardIntegrations: ctx.state.switchboardIntegrations.map(presentSbiFull) });
}

function checkSbiFields(problems, body, state) {
  v.checkString(problems, body.name, 'name', { max: 128, pattern: NAME_PATTERN, patternText: 'may contain only letters, digits, "-" and "_"' });
  v.checkBoolean(problems, body.deliverStandbyEvents, 'deliverStandbyEvents');
  if (body.nextSwitchboardIntegrationId !== undefined && body.nextSwitchboardIntegrationId !== null && !state.sbiById(body.nextSwitchboardIntegrationId)) {
    problems.push('nextSwitchboardIntegrationId must name a switchboard integration');
  }
  if (body.messageHistoryCount !== undefined && body.messageHistoryCount !== null
    && !(Number.isInteger(body.messageHistoryCount) && body.messageHistoryCount >= 1 && body.messageHistoryCount <= 10)) {
    problems.push('messageHistoryCount must be an integer from 1 to 10');
  }
  if (body.integrationId !== undefined && body.integrationType !== undefined) problems.push("Can't provide both integrationId and integrationType");
  if (body.integrationId !== undefined && !state.integrations.has(body.integrationId)) problems.push('integrationId must name an integration of this app');
}

function createSbi(ctx) {
  const { state, body } = ctx;
  if (!findSwitchboard(ctx)) return switchboardNotFound();
  const problems = [];
  if (!v.requireObjectBody(problems, body)) return badRequest(problems);
  if (body.name === undefined) problems.push('name is required');
  if (body.integrationId === undefined && body.integrationType === undefined) problems.push('One of integrationId or integrationType is required');
  checkSbiFields(problems, body, state);
  if (problems.length) return badRequest(problems);
  if (state.switchboardIntegrations.length >= MAX_SWITCHBOARD_INTEGRATIONS) {
    return sunshineError(400, 'too_many_switchboard_integrations', 'A switchboard can have at most 10 switchboard integrations');
  }
  if (state.switchboardIntegrations.some((s) => s.name === body.name)) return sunshineError(409, 'conflict', 'A switchboard integration with this name already exists');
  const integration = body.integrationId ? state.integrations.get(body.integrationId) : null;
  const sbi = {
    id: state.newId(), name: body.name,
    integrationId: integration ? integration.id : state.newId(),
    integrationType: integration ? integration.type : body.integrationType,
    deliverStandbyEvents: body.deliverStandbyEvents !== false,
    nextSwitchboardIntegrationId: body.nextSwitchboardIntegrationId || null,
    messageHistoryCount: body.messageHistoryCount || null,
  };
  state.switchboardIntegrations.push(sbi);
  return reply(201, { switchboardIntegration: presentSbiFull(sbi) });
}

function updateSbi(ctx) {
  const { state, body } = ctx;
  if (!findSwitchboard(ctx)) return switchboardNotFound();
  const sbi = state.sbiById(ctx.params.switchboardIntegrationId);
  if (!sbi) return sbiNotFound();
  const problems = [];
  if (!v.requireObjectBody(problems, body)) return badRequest(problems);
  checkSbiFields(problems, body, state);
  if (problems.length) return badRequest(problems);
  for (const key of ['name', 'deliverStandbyEvents', 'nextSwitchboardIntegrationId', 'messageHistoryCount', 'integrationType']) {
    if (body[key] !== undefined) sbi[key] = body[key];
  }
  if (body.integrationId !== undefined) {
    sbi.integrationId = body.integrationId;
    sbi.integrationType = state.integrations.get(body.integrationId).type;
  }
  return reply(200, { switchboardIntegration: presentSbiFull(sbi) });
}

function deleteSbi(ctx) {
  const { state } = ctx;
  if (!findSwitchboard(ctx)) return switchboardNotFound();
  const sbi = state.sbiById(ctx.params.switchboardIntegrationId);
  if (!sbi) return sbiNotFound();
  state.switchboardIntegrations = state.switchboardIntegrations.filter((s) => s !== sbi);
  return reply(200, {});
}

const app = '/sc/v2/apps/:appId';
const conv = `${app}/conversations/:conversationId`;
const appOnly = ['app'];
const routes = [
  { method: 'POST', path: `${conv}/passControl`, handler: passControl, operationId: 'PassControl' },
  { method: 'POST', path: `${conv}/offerControl`, handler: offerControl, operationId: 'OfferControl' },
  { method: 'POST', path: `${conv}/acceptControl`, handler: acceptControl, operationId: 'AcceptControl' },
  { method: 'POST', path: `${conv}/releaseControl`, handler: releaseControl, operationId: 'ReleaseControl', optionalBody: true },
  { method: 'GET', path: `${app}/switchboards`, handler: listSwitchboards, scopes: appOnly, operationId: 'ListSwitchboards' },
  { method: 'POST', path: `${app}/switchboards`, handler: createSwitchboard, scopes: appOnly, operationId: 'CreateSwitchboard', optionalBody: true },
  { method: 'PATCH', path: `${app}/switchboards/:switchboardId`, handler: updateSwitchboard, scopes: appOnly, operationId: 'UpdateSwitchboard' },
  { method: 'GET', path: `${app}/switchboards/:switchboardId/switchboardIntegrations`, handler: listSbis, scopes: appOnly, operationId: 'ListSwitchboardIntegrations' },
  { method: 'POST', path: `${app}/switchboards/:switchboardId/switchboardIntegrations`, handler: createSbi, scopes: appOnly, operationId: 'CreateSwitchboardIntegration' },
  { method: 'PATCH', path: `${app}/switchboards/:switchboardId/switchboardIntegrations/:switchboardIntegrationId`, handler: updateSbi, scopes: appOnly, operationId: 'UpdateSwitchboardIntegration' },
  { method: 'DELETE', path: `${app}/switchboards/:switchboardId/switchboardIntegrations/:switchboardIntegrationId`, handler: deleteSbi, scopes: appOnly, operationId: 'DeleteSwitchboardIntegration' },
];

module.exports = { routes, applyPassControl, applyReleaseControl, resolveTarget };
