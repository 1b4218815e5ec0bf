'use strict';
// The Zendesk Support API subset phone-handoff uses: search users by phone (index-based, so a new
// user is searchable only after settings.indexingDelayMs), create and get users, merge end users
// (rules configurable, strict by default, since the real ones are [VERIFY]), and read tickets.
// Errors use Support's {"error": "...", "description": "..."} shape.
const { reply, supportError, SUPPORT_NOT_FOUND, iso, isPlainObject } = require('./http-util');

const SEARCH_RESULT_CAP = 1000;
const PER_PAGE_MAX = 100;

const digitsOf = (phone) => String(phone || '').replace(/\D/g, '');

function presentSupportUser(user, baseUrl) {
  return {
    id: user.id, url: `${baseUrl}/api/v2/users/${user.id}.json`, name: user.name, email: user.email || null,
    phone: user.phone || null, shared_phone_number: user.phone ? false : null, external_id: user.external_id || null,
    role: user.role, verified: user.verified, active: user.active, created_at: iso(user.createdMs), updated_at: iso(user.updatedMs || user.createdMs),
  };
}

function presentTicket(ticket, baseUrl) {
  return {
    id: ticket.id, url: `${baseUrl}/api/v2/tickets/${ticket.id}.json`, subject: ticket.subject, description: ticket.description,
    status: ticket.status, priority: ticket.priority || null, requester_id: ticket.requesterId, submitter_id: ticket.requesterId,
    assignee_id: ticket.assigneeId || null, group_id: ticket.groupId || null, brand_id: ticket.brandId || null,
    organization_id: ticket.organizationId || null, tags: [...ticket.tags],
    custom_fields: ticket.customFields.map((f) => ({ ...f })), fields: ticket.customFields.map((f) => ({ ...f })),
    via: { channel: 'native_messaging', source: { from: {}, to: {}, rel: null } },
    created_at: iso(ticket.createdMs), updated_at: iso(ticket.updatedMs),
  };
}

function validationError(field, description, error = 'InvalidValue') {
  return supportError(422, 'RecordInvalid', 'Record validation errors', { [field]: [{ description, error }] });
}

// Creates a Support user record; used by the API, the inspection API and Agent Workspace.
// → {user} | {error: reply}
function createSupportUser(state, fields, { indexed = false } = {}) {
  const support = state.support;
  if (typeof fields.name !== 'string' || fields.name.trim() === '') return { error: validationError('name', 'Name: cannot be blank', 'BlankValue') };
  for (const key of ['email', 'phone', 'external_id']) {
    if (fields[key] !== undefined && fields[key] !== null && typeof fields[key] !== 'string') return { error: validationError(key, `${key} must be a string`) };
  }
  if (fields.email && [...support.users.values()].some((u) => u.active && u.email && u.email.toLowerCase() === fields.email.toLowerCase())) {
    return { error: validationError('email', `Email: ${fields.email} is already being used by another user`, 'DuplicateValue') };
  }
  if (fields.external_id && [...support.users.values()].some((u) => u.active && u.external_id === fields.external_id)) {
    return { error: validationError('external_id', `External ID: ${fields.external_id} has already been taken`, 'DuplicateValue') };
  }
  if (fields.phone && state.settings.validatePhones && !/^\+[1-9]\d{6,14}$/.test(fields.phone)) {
    return { error: validationError('phone', `Phone: ${fields.phone} is not a valid phone number`) };
  }
  const role = fields.role || 'end-user';
  if (!['end-user', 'agent', 'admin'].includes(role)) return { error: validationError('role', 'Role: is invalid') };
  const now = Date.now();
  const user = {
    id: support.nextUserId++, name: fields.name.trim(), email: fields.email || null, phone: fields.phone || null,
    external_id: fields.external_id || null, role, verified: fields.verified === true, active: true,
    createdMs: now, updatedMs: now, indexedMs: indexed ? now : now + state.settings.indexingDelayMs,
  };
  support.users.set(user.id, user);
  return { user };
}

// `role:end-user phone:*5135557611` and friends. Unknown free text matches name or email.
function parseSearch(query) {
  const terms = [];
  for (const token of query.match(/\S+:"[^"]*"|"[^"]*"|\S+/g) || []) {
    const colon = token.indexOf(':');
    if (colon > 0) terms.push({ field: token.slice(0, colon).toLowerCase(), value: token.slice(colon + 1).replace(/^"|"$/g, '') });
    else terms.push({ field: null, value: token.replace(/^"|"$/g, '') });
  }
  return terms;
}

function userMatches(user, term) {
  const value = term.value.toLowerCase();
  switch (term.field) {
    case 'type': return value === 'user';
    case 'role': return user.role === value;
    case 'phone': {
      // Digits only. A leading * matches the number stored in any format (suffix match).
      const stored = digitsOf(user.phone);
      if (!stored) return false;
      return value.startsWith('*') ? value.length > 1 && stored.endsWith(value.slice(1)) : stored === value;
    }
    case 'email': return Boolean(user.email) && user.email.toLowerCase() === value;
    case 'external_id': return user.external_id === term.value;
    case 'name': return user.name.toLowerCase().includes(value);
    case null: return user.name.toLowerCase().includes(value) || (user.email || '').toLowerCase().includes(value);
    default: return false;
  }
}

function searchUsers(state, query) {
  const terms = parseSearch(query);
  const typeTerm = terms.find((t) => t.field === 'type');
  if (typeTerm && typeTerm.value !== 'user') return [];
  const now = Date.now();
  return [...state.support.users.values()]
    .filter((u) => u.active && u.indexedMs <= now && terms.every((t) => userMatches(u, t)))
    .sort((a, b) => a.id - b.id);
}

function paginate(ctx, results, path, key, decorate) {
  const perPage = ctx.query.per_page === undefined ? PER_PAGE_MAX : Number(ctx.query.per_page);
  const page = ctx.query.page === undefined ? 1 : Number(ctx.query.page);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > PER_PAGE_MAX || !Number.isInteger(page) || page < 1) {
    return supportError(400, 'InvalidPaginationParameter', 'page and per_page must be positive integers (per_page ≤ 100)');
  }
  if (page * perPage > SEARCH_RESULT_CAP) {
    return supportError(422, 'InvalidPaginationParameter', `Search results are limited to ${SEARCH_RESULT_CAP}: page * per_page must not exceed it`);
  }
  const count = Math.min(results.length, SEARCH_RESULT_CAP);
  const slice = results.slice((page - 1) * perPage, page * perPage);
  const link = (p) => {
    const params = new URLSearchParams(ctx.url.searchParams);
    params.set('page', String(p));
    return `${ctx.baseUrl}${path}?${params}`;
  };
  return reply(200, {
    [key]: slice.map(decorate),
    ...(key === 'results' ? { facets: null } : {}),
    next_page: page * perPage < count ? link(page + 1) : null,
    previous_page: page > 1 ? link(page - 1) : null,
    count,
  });
}

function search(ctx) {
  if (typeof ctx.query.query !== 'string' || ctx.query.query.trim() === '') return supportError(400, 'InvalidSearchQuery', 'query is required');
  const users = searchUsers(ctx.state, ctx.query.query);
  return paginate(ctx, users, '/api/v2/search.json', 'results', (u) => ({ ...presentSupportUser(u, ctx.baseUrl), result_type: 'user' }));
}

function usersSearch(ctx) {
  const { state, query } = ctx;
  if (typeof query.external_id === 'string') {
    // An exact lookup, not the search index: no indexing delay.
    const users = [...state.support.users.values()].filter((u) => u.active && u.external_id === query.external_id);
    return reply(200, { users: users.map((u) => presentSupportUser(u, ctx.baseUrl)), next_page: null, previous_page: null, count: users.length });
  }
  if (typeof query.query !== 'string' || query.query.trim() === '') return supportError(400, 'InvalidSearchQuery', 'query or external_id is required');
  return paginate(ctx, searchUsers(state, query.query), '/api/v2/users/search.json', 'users', (u) => presentSupportUser(u, ctx.baseUrl));
}

function createUser(ctx) {
  const { body } = ctx;
  if (!isPlainObject(body) || !isPlainObject(body.user)) return supportError(400, 'InvalidEndpoint', 'The request body must be {"user": {...}}');
  const { user, error } = createSupportUser(ctx.state, body.user);
  return error || reply(201, { user: presentSupportUser(user, ctx.baseUrl) });
}

function getUser(ctx) {
  const user = ctx.state.support.users.get(Number(ctx.params.userId));
  return user ? reply(200, { user: presentSupportUser(user, ctx.baseUrl) }) : SUPPORT_NOT_FOUND();
}

// The user in the path is merged INTO the user in the body; the body user survives.
function mergeUser(ctx) {
  const { state, body } = ctx;
  const rules = state.settings.merge;
  if (!isPlainObject(body) || !isPlainObject(body.user) || body.user.id === undefined) {
    return supportError(400, 'InvalidEndpoint', 'The request body must be {"user": {"id": <target user id>}}');
  }
  const source = state.support.users.get(Number(ctx.params.userId));
  const target = state.support.users.get(Number(body.user.id));
  if (!source || !target || !source.active || !target.active) return SUPPORT_NOT_FOUND();
  if (source.id === target.id) return validationError('base', 'A user cannot be merged into itself');
  if (rules.rejectAgents && (source.role !== 'end-user' || target.role !== 'end-user')) {
    return supportError(403, 'Forbidden', 'Only end users can be merged; agents and admins cannot be merged');
  }
  if (rules.rejectSsoExternalIds && (source.external_id || target.external_id)) {
    return validationError('base', 'Users with an external ID cannot be merged while single sign-on is enabled', 'MergeNotAllowed');
  }
  if (rules.rejectPhoneOnlyTarget && !target.email && !target.verified) {
    return validationError('base', 'Cannot merge into an unverified user whose only contact is a phone number', 'MergeNotAllowed');
  }
  for (const ticket of state.support.tickets.values()) if (ticket.requesterId === source.id) ticket.requesterId = target.id;
  if (source.email && !target.email) target.email = source.email;
  source.active = false;
  source.mergedInto = target.id;
  target.updatedMs = Date.now();
  return reply(200, { user: presentSupportUser(target, ctx.baseUrl) });
}

function getTicket(ctx) {
  const ticket = ctx.state.support.tickets.get(Number(ctx.params.ticketId));
  return ticket ? reply(200, { ticket: presentTicket(ticket, ctx.baseUrl) }) : SUPPORT_NOT_FOUND();
}

// PUT /api/v2/tickets/{id}: the subset phone-handoff sends (custom_fields, tags, status, priority).
function updateTicket(ctx) {
  const ticket = ctx.state.support.tickets.get(Number(ctx.params.ticketId));
  if (!ticket) return SUPPORT_NOT_FOUND();
  const body = ctx.body && typeof ctx.body === 'object' ? ctx.body.ticket : null;
  if (!body || typeof body !== 'object') return validationError('ticket', 'is required: {"ticket": {…}}');
  if (body.custom_fields !== undefined) {
    if (!Array.isArray(body.custom_fields) || body.custom_fields.some((f) => !f || !Number.isInteger(Number(f.id)))) {
      return validationError('custom_fields', 'must be a list of {"id": <number>, "value": …}');
    }
    for (const f of body.custom_fields) {
      const existing = ticket.customFields.find((c) => c.id === Number(f.id));
      if (existing) existing.value = f.value; else ticket.customFields.push({ id: Number(f.id), value: f.value });
    }
  }
  if (Array.isArray(body.tags)) ticket.tags = [...new Set(body.tags.map(String))];
  for (const key of ['status', 'priority']) if (typeof body[key] === 'string') ticket[key] = body[key];
  ticket.updatedMs = Date.now();
  return reply(200, { ticket: presentTicket(ticket, ctx.baseUrl) });
}

const routes = [
  { method: 'GET', path: '/api/v2/search.json', handler: search },
  { method: 'GET', path: '/api/v2/users/search.json', handler: usersSearch },
  { method: 'POST', path: '/api/v2/users.json', handler: createUser },
  { method: 'GET', path: '/api/v2/users/:userId.json', handler: getUser },
  { method: 'PUT', path: '/api/v2/users/:userId/merge.json', handler: mergeUser },
  { method: 'GET', path: '/api/v2/tickets/:ticketId.json', handler: getTicket },
  { method: 'PUT', path: '/api/v2/tickets/:ticketId.json', handler: updateTicket },
].map((route) => ({ ...route, area: 'support' }));

module.exports = { routes, createSupportUser, presentSupportUser, presentTicket, digitsOf };
