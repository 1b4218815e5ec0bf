'use strict';
// Messaging ("Sunshine") users: create (409 on a taken externalId), get by id or externalId,
// update, delete, and sync with a Support user (including applying a Support-side merge).
const { reply, sunshineError, badRequest, iso } = require('../http-util');
const v = require('./validate');

const userNotFound = () => sunshineError(404, 'user_not_found', 'User not found');

function presentUser(user, { full = true } = {}) {
  const out = { id: user.id };
  if (user.externalId !== null) out.externalId = user.externalId;
  if (user.zendeskId !== null) out.zendeskId = user.zendeskId;
  out.authenticated = false;
  if (!full) return out;
  if (user.signedUpAt) out.signedUpAt = user.signedUpAt;
  out.toBeRetained = user.toBeRetained;
  out.profile = { ...user.profile };
  out.metadata = { ...user.metadata };
  out.identities = user.identities.map((identity) => ({ ...identity }));
  return out;
}

function validateUserFields(body, { creating }) {
  const problems = [];
  if (!v.requireObjectBody(problems, body)) return problems;
  if (creating) {
    v.checkString(problems, body.externalId, 'externalId', { max: 1024 });
    v.checkString(problems, body.brandId, 'brandId', { max: 24, nullable: true });
  } else if (body.externalId !== undefined) {
    problems.push('externalId cannot be changed by an update');
  }
  v.checkIsoTime(problems, body.signedUpAt, 'signedUpAt');
  v.checkBoolean(problems, body.toBeRetained, 'toBeRetained');
  v.checkProfile(problems, body.profile);
  v.checkMetadata(problems, body.metadata);
  return problems;
}

function cleanProfile(profile) {
  const out = {};
  for (const [key, value] of Object.entries(profile || {})) if (value !== null) out[key] = value;
  return out;
}

function createUser(ctx) {
  const { state, body } = ctx;
  const problems = validateUserFields(body, { creating: true });
  if (problems.length) return badRequest(problems);
  if (body.externalId !== undefined && state.findUser(body.externalId)) {
    return sunshineError(409, 'conflict', 'User already exists');
  }
  const user = {
    id: state.newId(),
    externalId: body.externalId === undefined ? null : body.externalId,
    zendeskId: null,
    brandId: body.brandId || null,
    signedUpAt: body.signedUpAt || iso(Date.now()),
    toBeRetained: body.toBeRetained === true,
    profile: cleanProfile(body.profile),
    metadata: { ...(body.metadata || {}) },
    identities: [],
    createdMs: Date.now(),
  };
  state.users.set(user.id, user);
  return reply(201, { user: presentUser(user) });
}

// Matches emails in identities only, never profile.email [SPEC]; the filter is required.
function listUsers(ctx) {
  const filter = ctx.query.filter;
  const email = filter && typeof filter === 'object' ? filter['identities.email'] : undefined;
  if (typeof email !== 'string' || email === '') return badRequest('filter[identities.email] is required');
  const users = [...ctx.state.users.values()]
    .filter((u) => u.identities.some((i) => i.type === 'email' && i.value.toLowerCase() === email.toLowerCase()));
  return reply(200, { users: users.map((u) => presentUser(u)) });
}

function getUser(ctx) {
  const user = ctx.state.findUser(ctx.params.userIdOrExternalId);
  return user ? reply(200, { user: presentUser(user) }) : userNotFound();
}

function updateUser(ctx) {
  const { state, body } = ctx;
  const user = state.findUser(ctx.params.userIdOrExternalId);
  if (!user) return userNotFound();
  const problems = validateUserFields(body, { creating: false });
  if (problems.length) return badRequest(problems);
  if (body.signedUpAt !== undefined) user.signedUpAt = body.signedUpAt;
  if (body.toBeRetained !== undefined) user.toBeRetained = body.toBeRetained;
  if (body.profile !== undefined) {
    // A profile field set to null is removed; absent fields are left alone.
    for (const [key, value] of Object.entries(body.profile)) {
      if (value === null) delete user.profile[key];
      else user.profile[key] = value;
    }
  }
  if (body.metadata !== undefined) user.metadata = { ...(body.metadata || {}) };
  return reply(200, { user: presentUser(user) });
}

function deleteUser(ctx) {
  const { state } = ctx;
  const user = state.findUser(ctx.params.userIdOrExternalId);
  if (!user) return userNotFound();
  state.users.delete(user.id);
  for (const [id, conversation] of state.conversations) {
    if (conversation.participants.includes(user.id)) state.conversations.delete(id);
  }
  return reply(200, {});
}

// Copies the Support user's name, external_id and primary email onto the messaging user; with
// survivingZendeskId it applies a Support merge: a messaging user already linked to the survivor
// absorbs the outgoing one (its conversations move over), otherwise the link is moved.
function syncUser(ctx) {
  const { state, body, webhooks } = ctx;
  const problems = [];
  if (body !== undefined && body !== null) {
    if (!v.requireObjectBody(problems, body)) return badRequest(problems);
    v.checkString(problems, body.survivingZendeskId, 'survivingZendeskId');
  }
  if (problems.length) return badRequest(problems);
  const outgoingId = ctx.params.zendeskId;
  let user = [...state.users.values()].find((u) => u.zendeskId === outgoingId);
  if (!user) return userNotFound();
  const survivingId = body && body.survivingZendeskId;
  if (survivingId && survivingId !== outgoingId) {
    const survivor = [...state.users.values()].find((u) => u.zendeskId === survivingId);
    if (survivor) {
      for (const conversation of state.conversations.values()) {
        conversation.participants = conversation.participants.map((id) => (id === user.id ? survivor.id : id));
      }
      state.users.delete(user.id);
      webhooks.emit('user:merge', {
        mergedUsers: { surviving: presentUser(survivor, { full: false }), discarded: presentUser(user, { full: false }) },
        reason: 'api',
      });
      user = survivor;
    } else {
      user.zendeskId = survivingId;
    }
  }
  const supportUser = state.support.users.get(Number(user.zendeskId));
  if (supportUser) {
    const [givenName, ...rest] = String(supportUser.name || '').split(/\s+/).filter(Boolean);
    if (givenName) user.profile.givenName = givenName;
    if (rest.length) user.profile.surname = rest.join(' ');
    if (supportUser.external_id) {
      const holder = state.findUser(supportUser.external_id);
      if (holder && holder !== user) holder.externalId = null; // the conflicting id moves over
      user.externalId = supportUser.external_id;
    }
    if (supportUser.email) {
      user.identities = user.identities.filter((i) => i.type !== 'email');
      user.identities.push({ type: 'email', value: supportUser.email, verification: 'owner' });
    }
  }
  return reply(200, { user: presentUser(user) });
}

const base = '/sc/v2/apps/:appId/users';
const routes = [
  { method: 'POST', path: base, handler: createUser, operationId: 'CreateUser' },
  { method: 'GET', path: base, handler: listUsers, operationId: 'ListUsers' },
  { method: 'GET', path: `${base}/:userIdOrExternalId`, handler: getUser, operationId: 'GetUser' },
  { method: 'PATCH', path: `${base}/:userIdOrExternalId`, handler: updateUser, operationId: 'UpdateUser' },
  { method: 'DELETE', path: `${base}/:userIdOrExternalId`, handler: deleteUser, operationId: 'DeleteUser' },
  { method: 'POST', path: `${base}/:zendeskId/sync`, handler: syncUser, operationId: 'SyncUser', optionalBody: true },
];

module.exports = { routes, presentUser };
