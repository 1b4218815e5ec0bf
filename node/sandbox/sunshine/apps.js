'use strict';
// The app itself, its API keys and its integrations: app (and account) scope only, so an int_ key
// gets 403 here [SPEC]. The app's multiConvoEnabled setting mirrors settings.multiConversations;
// turning it on through the API cannot be undone, as in Sunshine.
const { reply, sunshineError, badRequest, isPlainObject } = require('../http-util');
const v = require('./validate');

function presentApp(state) {
  return {
    id: state.app.id, displayName: state.app.displayName,
    settings: { multiConvoEnabled: state.settings.multiConversations },
    metadata: null,
  };
}

function getApp(ctx) {
  return reply(200, { app: presentApp(ctx.state) });
}

function updateApp(ctx) {
  const { state, body } = ctx;
  const problems = [];
  if (!v.requireObjectBody(problems, body)) return badRequest(problems);
  v.checkString(problems, body.displayName, 'displayName', { max: 100 });
  if (body.settings !== undefined && !isPlainObject(body.settings)) problems.push('settings must be an object');
  const wanted = body.settings && body.settings.multiConvoEnabled;
  if (wanted !== undefined && typeof wanted !== 'boolean') problems.push('settings.multiConvoEnabled must be a boolean');
  if (wanted === false && state.settings.multiConversations) problems.push('settings.multiConvoEnabled cannot be turned off once enabled');
  if (problems.length) return badRequest(problems);
  if (body.displayName !== undefined) state.app.displayName = body.displayName;
  if (wanted === true) state.updateSettings({ multiConversations: true });
  return reply(200, { app: presentApp(state) });
}

function listKeys(ctx) {
  const keys = [...ctx.state.keys.values()].filter((k) => k.scope === 'app').map((k) => ({ id: k.id, displayName: 'sandbox app key' }));
  return reply(200, { keys });
}

function presentIntegration(integration) {
  return { id: integration.id, type: integration.type, status: integration.status, displayName: integration.displayName };
}

function listIntegrations(ctx) {
  const types = isPlainObject(ctx.query.filter) && ctx.query.filter.types ? ctx.query.filter.types.split(',') : null;
  const integrations = [...ctx.state.integrations.values()].filter((i) => !types || types.includes(i.type));
  return reply(200, { integrations: integrations.map(presentIntegration), meta: { hasMore: false }, links: {} });
}

function getIntegration(ctx) {
  const integration = ctx.state.integrations.get(ctx.params.integrationId);
  return integration ? reply(200, { integration: presentIntegration(integration) }) : sunshineError(404, 'integration_not_found', 'Integration not found');
}

const app = '/sc/v2/apps/:appId';
const appOnly = ['app'];
const routes = [
  { method: 'GET', path: app, handler: getApp, scopes: appOnly, operationId: 'GetApp' },
  { method: 'PATCH', path: app, handler: updateApp, scopes: appOnly, operationId: 'UpdateApp' },
  { method: 'GET', path: `${app}/keys`, handler: listKeys, scopes: appOnly, operationId: 'ListAppKeys' },
  { method: 'GET', path: `${app}/integrations`, handler: listIntegrations, scopes: appOnly, operationId: 'ListIntegrations' },
  { method: 'GET', path: `${app}/integrations/:integrationId`, handler: getIntegration, scopes: appOnly, operationId: 'GetIntegration' },
];

module.exports = { routes };
