'use strict';
// Messages: post (author and content required, text ≤ 4096 characters counted as code points,
// metadata flat ≤ 4 KB, 30,000 per conversation then 423), list backwards with a fixed page of
// 100, delete one or all. `received` and `source` are set by the server. A business message sent
// with destination {integrationType:"none"} is stored but marked as delivered to no channel.
const { reply, sunshineError, badRequest, iso, isPlainObject } = require('../http-util');
const { conversationNotFound } = require('./conversations');
const { readPage, slicePage, pageLinks } = require('./paging');
const v = require('./validate');

const CONTENT_TYPES = ['text', 'carousel', 'file', 'form', 'formResponse', 'image', 'list', 'location', 'template'];
const SUBTYPES = ['AI', 'activity', 'agent', 'bot'];
const LIST_PAGE_SIZE = 100;

function presentMessage(message) {
  const out = {
    id: message.id,
    received: iso(message.receivedMs),
    author: { ...message.author },
    content: JSON.parse(JSON.stringify(message.content)),
    source: { ...message.source },
  };
  if (message.metadata) out.metadata = { ...message.metadata };
  out.deleted = false;
  return out;
}

function checkAuthor(problems, author, conversation, state) {
  if (!isPlainObject(author)) { problems.push('author is required and must be an object'); return null; }
  if (!['user', 'business'].includes(author.type)) { problems.push('author.type must be "user" or "business"'); return null; }
  if (author.subtypes !== undefined) {
    if (!Array.isArray(author.subtypes) || author.subtypes.length !== 1 || !SUBTYPES.includes(author.subtypes[0])) {
      problems.push(`author.subtypes must hold exactly one of ${SUBTYPES.join(', ')}`);
    }
  }
  if (author.displayName !== undefined && typeof author.displayName !== 'string') problems.push('author.displayName must be a string');
  v.checkUri(problems, author.avatarUrl, 'author.avatarUrl', { nullable: false });
  const hasId = author.userId !== undefined;
  const hasExternal = author.userExternalId !== undefined;
  if (author.type === 'business') {
    if (hasId || hasExternal) problems.push('author.userId and author.userExternalId are only supported when author.type is user');
    return { type: 'business' };
  }
  if (hasId === hasExternal) { problems.push('A user author needs exactly one of author.userId or author.userExternalId'); return null; }
  const user = hasId ? state.users.get(author.userId) : [...state.users.values()].find((u) => u.externalId === author.userExternalId);
  if (!user) return { notFound: true };
  if (!conversation.participants.includes(user.id)) { problems.push('The author is not a participant of the conversation'); return null; }
  return { type: 'user', user };
}

function checkContent(problems, content) {
  if (!isPlainObject(content)) { problems.push('content is required and must be an object'); return; }
  if (!CONTENT_TYPES.includes(content.type)) { problems.push(`content.type must be one of ${CONTENT_TYPES.join(', ')}`); return; }
  if (content.type === 'text') {
    v.checkString(problems, content.text, 'content.text', { max: v.TEXT_MAX_CHARS });
    v.checkString(problems, content.htmlText, 'content.htmlText', { max: v.TEXT_MAX_CHARS });
    v.checkString(problems, content.markdownText, 'content.markdownText', { max: v.TEXT_MAX_CHARS });
    if (content.htmlText !== undefined && content.markdownText !== undefined) problems.push('content.htmlText and content.markdownText cannot both be set');
    if (content.text === undefined && content.actions === undefined && content.htmlText === undefined && content.markdownText === undefined) {
      problems.push('content.text is required unless actions, htmlText or markdownText is provided');
    }
    if (content.actions !== undefined && !Array.isArray(content.actions)) problems.push('content.actions must be an array');
  } else if (content.type === 'image' || content.type === 'file') {
    if (content.mediaUrl === undefined) problems.push('content.mediaUrl is required');
    v.checkUri(problems, content.mediaUrl, 'content.mediaUrl', { nullable: false });
    v.checkString(problems, content.altText, 'content.altText', { max: 128 });
    v.checkString(problems, content.text, 'content.text', { max: v.TEXT_MAX_CHARS });
  }
}

function checkDestination(problems, destination, authorType, conversation) {
  if (destination === undefined) return false;
  if (!isPlainObject(destination)) { problems.push('destination must be an object'); return false; }
  if (authorType !== 'business' || conversation.type !== 'personal') {
    problems.push('destination is only applicable to business messages in personal conversations');
    return false;
  }
  const hasId = destination.integrationId !== undefined;
  const hasType = destination.integrationType !== undefined;
  if (hasId === hasType) { problems.push('destination needs exactly one of integrationId or integrationType'); return false; }
  if (destination.integrationType === 'none') return true;
  // A phone caller has no channel clients, so any other target cannot be delivered to.
  problems.push(`The user has no client for destination ${JSON.stringify(destination)}`);
  return false;
}

function postMessage(ctx) {
  const { state, body, webhooks, agentWorkspace } = ctx;
  const conversation = state.conversations.get(ctx.params.conversationId);
  if (!conversation) return conversationNotFound();
  const problems = [];
  if (!v.requireObjectBody(problems, body)) return badRequest(problems);
  const author = checkAuthor(problems, body.author, conversation, state);
  if (author && author.notFound) return sunshineError(404, 'user_not_found', 'User not found');
  checkContent(problems, body.content);
  const silent = checkDestination(problems, body.destination, author && author.type, conversation);
  v.checkMetadata(problems, body.metadata);
  if (problems.length) return badRequest(problems);
  if (conversation.messages.length >= state.settings.messageCap) {
    return sunshineError(423, 'locked', `Message limit of ${state.settings.messageCap} per conversation reached.`);
  }
  const storedAuthor = { type: author.type };
  if (author.user) {
    storedAuthor.userId = author.user.id;
    const name = [author.user.profile.givenName, author.user.profile.surname].filter(Boolean).join(' ');
    if (body.author.displayName || name) storedAuthor.displayName = body.author.displayName || name;
  } else if (body.author.displayName) {
    storedAuthor.displayName = body.author.displayName;
  }
  if (body.author.avatarUrl) storedAuthor.avatarUrl = body.author.avatarUrl;
  if (body.author.subtypes) storedAuthor.subtypes = [...body.author.subtypes];
  const message = {
    id: state.newId(),
    receivedMs: Date.now(),
    author: storedAuthor,
    content: JSON.parse(JSON.stringify(body.content)),
    source: { type: 'api:conversations' },
    metadata: body.metadata ? { ...body.metadata } : null,
    deliveredToChannels: !silent && author.type === 'business',
    silent,
  };
  conversation.messages.push(message);
  conversation.lastUpdatedMs = message.receivedMs;
  webhooks.emitMessage(conversation, message);
  agentWorkspace.onMessage(conversation, message);
  return reply(201, { messages: [presentMessage(message)] });
}

function listMessages(ctx) {
  const { state } = ctx;
  const conversation = state.conversations.get(ctx.params.conversationId);
  if (!conversation) return sunshineError(404, 'not_found', 'Resource not found');
  const page = readPage(ctx.query, { fixedSize: LIST_PAGE_SIZE });
  if (page.error) return page.error;
  const { items, meta } = slicePage(conversation.messages, page, { backwards: true });
  return reply(200, {
    messages: items.map(presentMessage),
    meta,
    links: pageLinks(ctx.baseUrl, `/sc/v2/apps/${state.app.id}/conversations/${conversation.id}/messages`, meta),
  });
}

function deleteAllMessages(ctx) {
  const conversation = ctx.state.conversations.get(ctx.params.conversationId);
  if (!conversation) return conversationNotFound();
  conversation.messages = [];
  return reply(200, {});
}

function deleteMessage(ctx) {
  const conversation = ctx.state.conversations.get(ctx.params.conversationId);
  if (!conversation) return conversationNotFound();
  const before = conversation.messages.length;
  conversation.messages = conversation.messages.filter((m) => m.id !== ctx.params.messageId);
  if (conversation.messages.length === before) return sunshineError(404, 'message_not_found', 'Message not found');
  return reply(200, {});
}

const base = '/sc/v2/apps/:appId/conversations/:conversationId/messages';
const routes = [
  { method: 'POST', path: base, handler: postMessage, operationId: 'PostMessage' },
  { method: 'GET', path: base, handler: listMessages, operationId: 'ListMessages' },
  { method: 'DELETE', path: base, handler: deleteAllMessages, operationId: 'DeleteAllMessages' },
  { method: 'DELETE', path: `${base}/:messageId`, handler: deleteMessage, operationId: 'DeleteMessage' },
];

module.exports = { routes, presentMessage, LIST_PAGE_SIZE };
