'use strict';
// Conversations: create (personal = exactly one participant; sdkGroup ≤ 10), get, update, delete,
// list by user with cursor pagination, participants. With multi-conversations off a second
// personal conversation for the same user is refused (status/code configurable, see state.js).
const { reply, sunshineError, badRequest, iso, isPlainObject } = require('../http-util');
const { presentUser } = require('./users');
const { readPage, slicePage, pageLinks } = require('./paging');
const v = require('./validate');

const conversationNotFound = () => sunshineError(404, 'conversation_not_found', 'Conversation not found');

function presentSbi(sbi) {
  return { id: sbi.id, name: sbi.name, integrationId: sbi.integrationId, integrationType: sbi.integrationType };
}

// Truncated form (webhook payloads) or the full Conversation object.
function presentConversation(state, conversation, { truncated = false } = {}) {
  const out = { id: conversation.id, type: conversation.type };
  if (conversation.metadata) out.metadata = { ...conversation.metadata };
  const active = conversation.activeSbiId && state.sbiById(conversation.activeSbiId);
  const pending = conversation.pendingSbiId && state.sbiById(conversation.pendingSbiId);
  if (active) out.activeSwitchboardIntegration = presentSbi(active);
  if (pending) out.pendingSwitchboardIntegration = presentSbi(pending);
  if (truncated) return out;
  out.isDefault = conversation.isDefault;
  if (conversation.displayName) out.displayName = conversation.displayName;
  if (conversation.description) out.description = conversation.description;
  if (conversation.iconUrl) out.iconUrl = conversation.iconUrl;
  out.businessLastRead = null;
  out.lastUpdatedAt = iso(conversation.lastUpdatedMs);
  out.createdAt = iso(conversation.createdMs);
  return out;
}

function checkConversationFields(problems, body) {
  v.checkString(problems, body.displayName, 'displayName', { max: 100, nullable: true });
  v.checkString(problems, body.description, 'description', { max: 100, nullable: true });
  v.checkUri(problems, body.iconUrl, 'iconUrl');
  v.checkMetadata(problems, body.metadata);
}

function resolveParticipants(state, type, participants, problems) {
  const users = [];
  for (const [index, participant] of participants.entries()) {
    if (!isPlainObject(participant)) { problems.push(`participants[${index}] must be an object`); continue; }
    const hasId = participant.userId !== undefined;
    const hasExternal = participant.userExternalId !== undefined;
    if (hasId === hasExternal) { problems.push(`participants[${index}] needs exactly one of userId or userExternalId`); continue; }
    v.checkBoolean(problems, participant.subscribeSDKClient, `participants[${index}].subscribeSDKClient`);
    if (type === 'sdkGroup' && participant.subscribeSDKClient === undefined) problems.push(`participants[${index}].subscribeSDKClient is required for sdkGroup conversations`);
    const user = hasId ? state.users.get(participant.userId)
      : [...state.users.values()].find((u) => u.externalId === participant.userExternalId);
    users.push(user || null);
  }
  return users;
}

function createConversation(ctx) {
  const { state, body, webhooks } = ctx;
  const problems = [];
  if (!v.requireObjectBody(problems, body)) return badRequest(problems);
  if (!['personal', 'sdkGroup'].includes(body.type)) problems.push('type is required and must be "personal" or "sdkGroup"');
  const participants = body.participants === undefined ? [] : body.participants;
  if (!Array.isArray(participants)) problems.push('participants must be an array');
  else if (body.type === 'personal' && participants.length !== 1) problems.push('A personal conversation requires exactly 1 participant');
  else if (participants.length > 10) problems.push('participants must have at most 10 items');
  checkConversationFields(problems, body);
  const users = Array.isArray(participants) ? resolveParticipants(state, body.type, participants, problems) : [];
  if (problems.length) return badRequest(problems);
  if (users.some((u) => u === null)) return sunshineError(404, 'user_not_found', 'User not found');

  const existingPersonal = body.type === 'personal'
    && [...state.conversations.values()].some((c) => c.type === 'personal' && c.participants.includes(users[0].id));
  if (existingPersonal && !state.settings.multiConversations) {
    const { status, code, title } = state.settings.singleConversationError;
    return sunshineError(status, code, title);
  }
  const now = Date.now();
  const conversation = {
    id: state.newId(), type: body.type, isDefault: body.type === 'personal' && !existingPersonal,
    displayName: body.displayName || null, description: body.description || null, iconUrl: body.iconUrl || null,
    metadata: body.metadata ? { ...body.metadata } : null,
    participants: users.map((u) => u.id), createdMs: now, lastUpdatedMs: now,
    activeSbiId: state.switchboard.enabled ? state.switchboard.defaultSwitchboardIntegrationId : null,
    pendingSbiId: null, messages: [], ticketId: null, awaitingTicket: null,
  };
  state.conversations.set(conversation.id, conversation);
  const payload = { conversation: presentConversation(state, conversation, { truncated: true }), creationReason: 'none', source: { type: 'api:conversations' } };
  if (conversation.type === 'personal') payload.user = presentUser(users[0], { full: false });
  webhooks.emit('conversation:create', payload, conversation);
  return reply(201, { conversation: presentConversation(state, conversation) });
}

function getConversation(ctx) {
  const conversation = ctx.state.conversations.get(ctx.params.conversationId);
  return conversation ? reply(200, { conversation: presentConversation(ctx.state, conversation) }) : conversationNotFound();
}

function updateConversation(ctx) {
  const { state, body } = ctx;
  const conversation = state.conversations.get(ctx.params.conversationId);
  if (!conversation) return conversationNotFound();
  const problems = [];
  if (!v.requireObjectBody(problems, body)) return badRequest(problems);
  checkConversationFields(problems, body);
  for (const key of Object.keys(body)) {
    if (!['displayName', 'description', 'iconUrl', 'metadata'].includes(key)) problems.push(`${key} cannot be updated`);
  }
  if (problems.length) return badRequest(problems);
  for (const key of ['displayName', 'description', 'iconUrl']) if (body[key] !== undefined) conversation[key] = body[key];
  // A metadata patch replaces the whole object (reference §2.2, [VERIFY]).
  if (body.metadata !== undefined) conversation.metadata = body.metadata ? { ...body.metadata } : null;
  return reply(200, { conversation: presentConversation(state, conversation) });
}

function deleteConversation(ctx) {
  const conversation = ctx.state.conversations.get(ctx.params.conversationId);
  if (!conversation) return conversationNotFound();
  if (conversation.isDefault) {
    return badRequest(`Conversation ${conversation.id} cannot be deleted because it is the default.`);
  }
  ctx.state.conversations.delete(conversation.id);
  return reply(200, {});
}

function listConversations(ctx) {
  const { state, query } = ctx;
  const filter = isPlainObject(query.filter) ? query.filter : {};
  const byId = filter.userId !== undefined;
  const byExternal = filter.userExternalId !== undefined;
  if (byId === byExternal) return badRequest('Exactly one of filter[userId] or filter[userExternalId] is required');
  const page = readPage(query);
  if (page.error) return page.error;
  const user = byId ? state.users.get(filter.userId) : [...state.users.values()].find((u) => u.externalId === filter.userExternalId);
  if (!user) return sunshineError(404, 'user_not_found', 'User not found');
  const records = [...state.conversations.values()].filter((c) => c.participants.includes(user.id))
    .sort((a, b) => (a.id < b.id ? -1 : 1));
  const { items, meta } = slicePage(records, page);
  const filterQuery = byId ? `filter[userId]=${encodeURIComponent(filter.userId)}` : `filter[userExternalId]=${encodeURIComponent(filter.userExternalId)}`;
  return reply(200, {
    conversations: items.map((c) => presentConversation(state, c)),
    meta,
    links: pageLinks(ctx.baseUrl, `/sc/v2/apps/${state.app.id}/conversations`, meta, filterQuery),
  });
}

function listParticipants(ctx) {
  const { state } = ctx;
  const conversation = state.conversations.get(ctx.params.conversationId);
  if (!conversation) return conversationNotFound();
  const page = readPage(ctx.query);
  if (page.error) return page.error;
  const records = conversation.participants.map((userId) => {
    const user = state.users.get(userId);
    const participant = { id: `${userId.slice(0, 12)}${conversation.id.slice(12)}`, userId, unreadCount: 0, clientAssociations: [] };
    if (user && user.externalId !== null) participant.userExternalId = user.externalId;
    return participant;
  });
  const { items, meta } = slicePage(records, page);
  return reply(200, { participants: items, meta, links: pageLinks(ctx.baseUrl, `/sc/v2/apps/${state.app.id}/conversations/${conversation.id}/participants`, meta) });
}

const base = '/sc/v2/apps/:appId/conversations';
const routes = [
  { method: 'POST', path: base, handler: createConversation, operationId: 'CreateConversation' },
  { method: 'GET', path: base, handler: listConversations, operationId: 'ListConversations' },
  { method: 'GET', path: `${base}/:conversationId`, handler: getConversation, operationId: 'GetConversation' },
  { method: 'PATCH', path: `${base}/:conversationId`, handler: updateConversation, operationId: 'UpdateConversation' },
  { method: 'DELETE', path: `${base}/:conversationId`, handler: deleteConversation, operationId: 'DeleteConversation' },
  { method: 'GET', path: `${base}/:conversationId/participants`, handler: listParticipants, operationId: 'ListParticipants' },
];

module.exports = { routes, presentConversation, presentSbi, conversationNotFound };
