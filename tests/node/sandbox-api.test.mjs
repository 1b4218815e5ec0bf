// The sandbox's Sunshine Conversations emulation: auth, users, conversations, messages, limits,
// pagination and the switchboard, over real HTTP on 127.0.0.1.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { signJwt, MESSAGE_CAP } = require('../../node/sandbox/index.js');
const { withSandbox, request, basic } = require('../../node/sandbox/client.js');

async function makeUserAndConversation(c, externalId = 'phone:+15550009999') {
  const user = await c.sunshine('POST', '/users', { body: { externalId, profile: { givenName: 'Ada', surname: 'Lovelace' } } });
  assert.equal(user.status, 201);
  const conversation = await c.sunshine('POST', '/conversations', { body: { type: 'personal', participants: [{ userExternalId: externalId }] } });
  assert.equal(conversation.status, 201);
  return { user: user.body.user, conversation: conversation.body.conversation };
}

const text = (t) => ({ type: 'text', text: t });

test('auth: basic app and int_ keys work; wrong secret, no header and unknown scheme give 401 unauthorized', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { appId } = sandbox.credentials;
    const path = `/sc/v2/apps/${appId}/users/nobody`;
    assert.equal((await request(sandbox.url, 'GET', path, { headers: { Authorization: c.appAuth } })).status, 404);
    assert.equal((await request(sandbox.url, 'GET', path, { headers: { Authorization: c.integrationAuth } })).status, 404);
    for (const headers of [{}, { Authorization: basic(sandbox.credentials.keyId, 'wrong') }, { Authorization: 'Digest abc' }]) {
      const r = await request(sandbox.url, 'GET', path, { headers });
      assert.equal(r.status, 401);
      assert.equal(r.body.errors[0].code, 'unauthorized');
      assert.equal(typeof r.body.errors[0].title, 'string');
    }
  });
});

test('auth: HS256 JWTs with the right kid and scope pass; none-alg, bad signature and wrong scope fail', async () => {
  await withSandbox({}, async (sandbox) => {
    const k = sandbox.credentials;
    const path = `/sc/v2/apps/${k.appId}/switchboards`;
    const get = (token) => request(sandbox.url, 'GET', path, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal((await get(signJwt({ keyId: k.keyId, secret: k.secret, scope: 'app' }))).status, 200);
    const bad = [
      signJwt({ keyId: k.keyId, secret: k.secret, scope: 'app', alg: 'none' }),
      signJwt({ keyId: k.keyId, secret: 'not-the-secret', scope: 'app' }),
      signJwt({ keyId: k.keyId, secret: k.secret, scope: 'integration' }),
      signJwt({ keyId: 'app_unknown', secret: k.secret, scope: 'app' }),
      signJwt({ keyId: k.keyId, secret: k.secret, scope: 'app', extra: { exp: 1 } }),
      'not.a.jwt', 'garbage',
    ];
    for (const token of bad) {
      const r = await get(token);
      assert.equal(r.status, 401, token);
      assert.equal(r.body.errors[0].code, 'unauthorized');
    }
    // An int_ key JWT has scope "integration" and may not touch the switchboard config.
    const intToken = signJwt({ keyId: k.integrationKeyId, secret: k.integrationSecret, scope: 'integration' });
    const forbidden = await get(intToken);
    assert.equal(forbidden.status, 403);
    assert.deepEqual(forbidden.body, { errors: [{ code: 'forbidden', title: 'Forbidden' }] });
  });
});

test('auth: int_ keys cannot call /switchboards or /integrations; a foreign appId is app_not_found', async () => {
  await withSandbox({}, async (sandbox, c) => {
    for (const path of ['/switchboards', '/integrations', '', '/keys']) {
      const r = await c.sunshine('GET', path, { headers: { Authorization: c.integrationAuth } });
      assert.equal(r.status, 403, path);
      assert.equal(r.body.errors[0].code, 'forbidden');
      assert.equal((await c.sunshine('GET', path)).status, 200);
    }
    const r = await request(sandbox.url, 'GET', '/sc/v2/apps/000000000000000000000000/switchboards', { headers: { Authorization: c.appAuth } });
    assert.equal(r.status, 404);
    assert.equal(r.body.errors[0].code, 'app_not_found');
  });
});

test('app: multiConvoEnabled can be turned on through the API but never off again', async () => {
  await withSandbox({ multiConversations: false }, async (sandbox, c) => {
    assert.equal((await c.sunshine('GET', '')).body.app.settings.multiConvoEnabled, false);
    const on = await c.sunshine('PATCH', '', { body: { settings: { multiConvoEnabled: true } } });
    assert.equal(on.status, 200);
    assert.equal(on.body.app.settings.multiConvoEnabled, true);
    assert.equal((await c.sunshine('PATCH', '', { body: { settings: { multiConvoEnabled: false } } })).status, 400);
  });
});

test('users: create, 409 conflict on a taken externalId, get by id and externalId, patch, 404 user_not_found', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const created = await c.sunshine('POST', '/users', { body: { externalId: 'phone:+1555', profile: { givenName: 'Ada' }, metadata: { phone: '+1555' } } });
    assert.equal(created.status, 201);
    assert.match(created.body.user.id, /^[0-9a-f]{24}$/);
    const again = await c.sunshine('POST', '/users', { body: { externalId: 'phone:+1555' } });
    assert.equal(again.status, 409);
    assert.deepEqual(again.body, { errors: [{ code: 'conflict', title: 'User already exists' }] });
    for (const key of [created.body.user.id, 'phone:+1555']) {
      const got = await c.sunshine('GET', `/users/${encodeURIComponent(key)}`);
      assert.equal(got.status, 200);
      assert.equal(got.body.user.metadata.phone, '+1555');
    }
    const patched = await c.sunshine('PATCH', '/users/phone:+1555', { body: { profile: { surname: 'Lovelace' }, metadata: { vip: true } } });
    assert.equal(patched.status, 200);
    assert.deepEqual(patched.body.user.profile, { givenName: 'Ada', surname: 'Lovelace' });
    assert.deepEqual(patched.body.user.metadata, { vip: true });
    assert.equal((await c.sunshine('PATCH', '/users/phone:+1555', { body: { externalId: 'other' } })).status, 400);
    assert.equal((await c.sunshine('GET', '/users')).status, 400, 'List Users needs filter[identities.email]');
    assert.deepEqual((await c.sunshine('GET', '/users?filter[identities.email]=a@example.com')).body, { users: [] });
    const missing = await c.sunshine('GET', '/users/nobody');
    assert.deepEqual(missing.body, { errors: [{ code: 'user_not_found', title: 'User not found' }] });
  });
});

test('users: metadata must be flat and ≤ 4 KB; profile fields have their limits', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const cases = [
      { metadata: { nested: { a: 1 } } },
      { metadata: { list: [1] } },
      { metadata: { big: 'x'.repeat(4096) } },
      { profile: { givenName: 'x'.repeat(129) } },
      { profile: { email: 'not-an-email' } },
      { profile: { locale: 'x'.repeat(65) } },
      { externalId: '' },
      { externalId: 'x'.repeat(1025) },
    ];
    for (const body of cases) {
      const r = await c.sunshine('POST', '/users', { body });
      assert.equal(r.status, 400, JSON.stringify(body).slice(0, 80));
      assert.equal(r.body.errors[0].code, 'bad_request');
    }
    // Just under the cap is fine: {"big":"…"} is 10 bytes of JSON around the value.
    assert.equal((await c.sunshine('POST', '/users', { body: { metadata: { big: 'x'.repeat(4086) } } })).status, 201);
    assert.equal((await c.sunshine('POST', '/users', { body: { metadata: { big: 'x'.repeat(4087) } } })).status, 400);
  });
});

test('conversations: personal needs exactly one participant; sdkGroup ≤ 10; displayName/description ≤ 100; unknown user 404', async () => {
  await withSandbox({}, async (sandbox, c) => {
    await c.sunshine('POST', '/users', { body: { externalId: 'u1' } });
    const bad = [
      { type: 'personal', participants: [] },
      { type: 'personal', participants: [{ userExternalId: 'u1' }, { userExternalId: 'u1' }] },
      { type: 'sponsored', participants: [{ userExternalId: 'u1' }] },
      { type: 'sdkGroup', participants: Array.from({ length: 11 }, () => ({ userExternalId: 'u1', subscribeSDKClient: false })) },
      { type: 'personal', participants: [{ userExternalId: 'u1' }], displayName: 'x'.repeat(101) },
      { type: 'personal', participants: [{ userExternalId: 'u1' }], description: 'x'.repeat(101) },
      { type: 'personal', participants: [{ userExternalId: 'u1' }], metadata: { a: { b: 1 } } },
      { type: 'personal', participants: [{ userExternalId: 'u1', userId: 'x' }] },
    ];
    for (const body of bad) assert.equal((await c.sunshine('POST', '/conversations', { body })).status, 400, JSON.stringify(body).slice(0, 80));
    const unknown = await c.sunshine('POST', '/conversations', { body: { type: 'personal', participants: [{ userExternalId: 'nobody' }] } });
    assert.equal(unknown.status, 404);
    const ok = await c.sunshine('POST', '/conversations', { body: { type: 'personal', participants: [{ userExternalId: 'u1' }], displayName: 'x'.repeat(100), metadata: { callId: 'c1' } } });
    assert.equal(ok.status, 201);
    assert.equal(ok.body.conversation.isDefault, true);
    assert.equal(ok.body.conversation.activeSwitchboardIntegration.integrationType, 'zd:agentWorkspace', 'Agent Workspace owns new conversations by default');
    const second = await c.sunshine('POST', '/conversations', { body: { type: 'personal', participants: [{ userExternalId: 'u1' }] } });
    assert.equal(second.status, 201, 'multi-conversations is on by default');
    assert.equal(second.body.conversation.isDefault, false);
    const patched = await c.sunshine('PATCH', `/conversations/${ok.body.conversation.id}`, { body: { metadata: { callId: 'c2' }, description: 'Phone call' } });
    assert.deepEqual(patched.body.conversation.metadata, { callId: 'c2' });
    assert.equal((await c.sunshine('DELETE', `/conversations/${ok.body.conversation.id}`)).status, 400, 'the default conversation cannot be deleted');
    assert.equal((await c.sunshine('GET', '/conversations/000000000000000000000000')).body.errors[0].code, 'conversation_not_found');
  });
});

test('conversations: with multi-conversations off a second personal conversation is 409 (configurable)', async () => {
  await withSandbox({ multiConversations: false }, async (sandbox, c) => {
    await makeUserAndConversation(c, 'u2');
    const second = await c.sunshine('POST', '/conversations', { body: { type: 'personal', participants: [{ userExternalId: 'u2' }] } });
    assert.equal(second.status, 409);
    assert.equal(second.body.errors[0].code, 'conflict');
    assert.match(second.body.errors[0].title, /multi-conversations/i);
    await c.inspect('POST', '/settings', { body: { singleConversationError: { status: 400, code: 'bad_request' } } });
    assert.equal((await c.sunshine('POST', '/conversations', { body: { type: 'personal', participants: [{ userExternalId: 'u2' }] } })).status, 400);
    await c.inspect('POST', '/settings', { body: { multiConversations: true } });
    assert.equal((await c.sunshine('POST', '/conversations', { body: { type: 'personal', participants: [{ userExternalId: 'u2' }] } })).status, 201);
  });
});

test('conversations: list by filter[userId] or filter[userExternalId] with cursor pagination', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { user } = await makeUserAndConversation(c, 'u3');
    for (let i = 0; i < 4; i += 1) await c.sunshine('POST', '/conversations', { body: { type: 'personal', participants: [{ userId: user.id }] } });
    assert.equal((await c.sunshine('GET', '/conversations')).status, 400);
    assert.equal((await c.sunshine('GET', '/conversations?filter[userExternalId]=nobody')).body.errors[0].code, 'user_not_found');
    const first = await c.sunshine('GET', '/conversations?filter[userExternalId]=u3&page[size]=2');
    assert.equal(first.body.conversations.length, 2);
    assert.equal(first.body.meta.hasMore, true);
    const next = await c.sunshine('GET', `/conversations?filter[userId]=${user.id}&page[size]=2&page[after]=${first.body.meta.afterCursor}`);
    assert.equal(next.body.conversations.length, 2);
    assert.notEqual(next.body.conversations[0].id, first.body.conversations[0].id);
    assert.match(next.body.links.prev, /page\[before\]=/);
    for (const bad of ['page[size]=0', 'page[size]=101', 'page[after]=short', `page[after]=${user.id}&page[before]=${user.id}`]) {
      const r = await c.sunshine('GET', `/conversations?filter[userId]=${user.id}&${bad}`);
      assert.equal(r.status, 400, bad);
      assert.deepEqual(r.body, { errors: [{ code: 'bad_request', title: 'Invalid page query parameters' }] });
    }
  });
});

test('messages: author and content required; text ≤ 4096 code points; received and source set by the server', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { conversation } = await makeUserAndConversation(c);
    const post = (body) => c.sunshine('POST', `/conversations/${conversation.id}/messages`, { body });
    assert.equal((await post({ content: text('hi') })).status, 400);
    assert.equal((await post({ author: { type: 'business' } })).status, 400);
    assert.equal((await post({ author: { type: 'robot' }, content: text('x') })).status, 400);
    assert.equal((await post({ author: { type: 'business', userId: 'x' }, content: text('x') })).status, 400);
    assert.equal((await post({ author: { type: 'business' }, content: text('x'.repeat(4097)) })).status, 400);
    // 4096 emoji are 4096 characters (code points) even though they are 8192 UTF-16 units.
    const emoji = await post({ author: { type: 'business' }, content: text('😀'.repeat(4096)) });
    assert.equal(emoji.status, 201);
    const tooManyEmoji = await post({ author: { type: 'business' }, content: text('😀'.repeat(4097)) });
    assert.equal(tooManyEmoji.status, 400);
    const user = await post({ author: { type: 'user', userExternalId: 'phone:+15550009999' }, content: text('hello'), metadata: { seq: 1 } });
    assert.equal(user.status, 201);
    const [message] = user.body.messages;
    assert.equal(message.source.type, 'api:conversations');
    assert.match(message.received, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(message.author.type, 'user');
    assert.deepEqual(message.metadata, { seq: 1 });
    assert.equal((await post({ author: { type: 'user', userExternalId: 'nobody' }, content: text('x') })).status, 404);
    assert.equal((await post({ author: { type: 'business' }, content: text('x'), metadata: { a: 'x'.repeat(4100) } })).status, 400);
    assert.equal((await c.sunshine('POST', '/conversations/000000000000000000000000/messages', { body: { author: { type: 'business' }, content: text('x') } })).status, 404);
  });
});

test('messages: destination {integrationType:"none"} is stored but not delivered to channels; other targets fail', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { conversation } = await makeUserAndConversation(c);
    const post = (body) => c.sunshine('POST', `/conversations/${conversation.id}/messages`, { body });
    const silent = await post({ author: { type: 'business', displayName: 'AI agent', subtypes: ['AI'] }, content: text('[00:01] AI: hi'), destination: { integrationType: 'none' } });
    assert.equal(silent.status, 201);
    assert.equal((await post({ author: { type: 'business' }, content: text('x'), destination: { integrationType: 'whatsapp' } })).status, 400);
    assert.equal((await post({ author: { type: 'user', userExternalId: 'phone:+15550009999' }, content: text('x'), destination: { integrationType: 'none' } })).status, 400);
    const { body } = await c.inspect('GET', `/conversations/${conversation.id}`);
    assert.equal(body.conversation.messages[0].silent, true);
    assert.equal(body.conversation.messages[0].deliveredToChannels, false);
  });
});

test('messages: JSON bodies over 100 KB are refused with 413 payload_too_large; bad JSON and content type are 400', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { conversation } = await makeUserAndConversation(c);
    const path = `/conversations/${conversation.id}/messages`;
    const big = { author: { type: 'business' }, content: text('x'), metadata: { pad: 'y'.repeat(100 * 1024) } };
    const r = await c.sunshine('POST', path, { body: big });
    assert.equal(r.status, 413);
    assert.deepEqual(r.body.errors.map((e) => e.code), ['payload_too_large']);
    assert.equal((await c.sunshine('POST', path, { rawBody: '{"author":', headers: { 'Content-Type': 'application/json' } })).status, 400);
    assert.equal((await c.sunshine('POST', path, { rawBody: '{}', headers: { 'Content-Type': 'text/plain' } })).status, 400);
  });
});

test('messages: the 30,000 cap is the default, and at the cap posting gives 423 locked', async () => {
  assert.equal(MESSAGE_CAP, 30000);
  await withSandbox({ settings: { messageCap: 3 } }, async (sandbox, c) => {
    const { body } = await c.inspect('GET', '/settings');
    assert.equal(body.settings.messageCap, 3);
    const { conversation } = await makeUserAndConversation(c);
    const post = () => c.sunshine('POST', `/conversations/${conversation.id}/messages`, { body: { author: { type: 'business' }, content: text('x') } });
    for (let i = 0; i < 3; i += 1) assert.equal((await post()).status, 201);
    const locked = await post();
    assert.equal(locked.status, 423);
    assert.deepEqual(locked.body, { errors: [{ code: 'locked', title: 'Message limit of 3 per conversation reached.' }] });
    assert.equal((await c.sunshine('DELETE', `/conversations/${conversation.id}/messages`)).status, 200);
    assert.equal((await post()).status, 201, 'deleting all messages makes room');
  });
  // The default cap, reached by filling the store directly (30,000 HTTP posts would be slow).
  await withSandbox({}, async (sandbox, c) => {
    assert.equal(sandbox.state.settings.messageCap, 30000);
    const { conversation } = await makeUserAndConversation(c);
    const stored = sandbox.state.conversations.get(conversation.id);
    const template = { author: { type: 'business' }, content: text('x'), source: { type: 'api:conversations' }, metadata: null, silent: false, deliveredToChannels: true };
    for (let i = 0; i < 29999; i += 1) stored.messages.push({ ...template, id: `${'f'.repeat(12)}${String(i).padStart(12, '0')}`, receivedMs: Date.now() });
    const post = () => c.sunshine('POST', `/conversations/${conversation.id}/messages`, { body: { author: { type: 'business' }, content: text('last') } });
    assert.equal((await post()).status, 201, 'message 30,000 is accepted');
    const locked = await post();
    assert.equal(locked.status, 423);
    assert.deepEqual(locked.body, { errors: [{ code: 'locked', title: 'Message limit of 30000 per conversation reached.' }] });
  });
});

test('messages: list pages backwards with a fixed page of 100 (page[size] ignored)', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { conversation } = await makeUserAndConversation(c);
    const ids = [];
    for (let i = 0; i < 230; i += 1) {
      const r = await c.sunshine('POST', `/conversations/${conversation.id}/messages`, { body: { author: { type: 'business' }, content: text(`m${i}`) } });
      ids.push(r.body.messages[0].id);
    }
    const list = (q = '') => c.sunshine('GET', `/conversations/${conversation.id}/messages${q}`);
    const latest = await list('?page[size]=10');
    assert.equal(latest.body.messages.length, 100);
    assert.deepEqual(latest.body.messages.map((m) => m.id), ids.slice(130));
    assert.equal(latest.body.meta.hasMore, true);
    assert.equal(latest.body.meta.beforeCursor, ids[130]);
    assert.equal(latest.body.meta.afterCursor, undefined);
    assert.match(latest.body.links.prev, new RegExp(`page\\[before\\]=${ids[130]}$`));
    const middle = await list(`?page[before]=${latest.body.meta.beforeCursor}`);
    assert.deepEqual(middle.body.messages.map((m) => m.id), ids.slice(30, 130));
    assert.equal(middle.body.meta.hasMore, true);
    assert.equal(middle.body.meta.afterCursor, ids[129]);
    const oldest = await list(`?page[before]=${middle.body.meta.beforeCursor}`);
    assert.deepEqual(oldest.body.messages.map((m) => m.id), ids.slice(0, 30));
    assert.equal(oldest.body.meta.hasMore, false);
    assert.equal(oldest.body.meta.beforeCursor, undefined);
    const forward = await list(`?page[after]=${ids[9]}`);
    assert.deepEqual(forward.body.messages.map((m) => m.id), ids.slice(10, 110));
    assert.equal(forward.body.meta.hasMore, true);
    assert.equal((await list('?page[before]=abc')).status, 400);
    const missing = await c.sunshine('GET', '/conversations/000000000000000000000000/messages');
    assert.deepEqual(missing.body, { errors: [{ code: 'not_found', title: 'Resource not found' }] });
  });
});

test('switchboard: lists zd-agentWorkspace and phone-handoff; passControl resolves by id, then name, then integrationType', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const switchboards = await c.sunshine('GET', '/switchboards');
    const [switchboard] = switchboards.body.switchboards;
    const sbis = (await c.sunshine('GET', `/switchboards/${switchboard.id}/switchboardIntegrations`)).body.switchboardIntegrations;
    const aw = sbis.find((s) => s.name === 'zd-agentWorkspace');
    const ph = sbis.find((s) => s.name === 'phone-handoff');
    assert.equal(aw.integrationType, 'zd:agentWorkspace');
    assert.equal(ph.integrationType, 'custom');
    assert.equal(switchboard.defaultSwitchboardIntegrationId, aw.id);

    const { conversation } = await makeUserAndConversation(c);
    const pass = (target, auth) => c.sunshine('POST', `/conversations/${conversation.id}/passControl`, { body: { switchboardIntegration: target }, headers: auth ? { Authorization: auth } : {} });
    const active = async () => (await c.sunshine('GET', `/conversations/${conversation.id}`)).body.conversation.activeSwitchboardIntegration;
    assert.equal((await pass(ph.id)).status, 200);
    assert.equal((await active()).id, ph.id);
    assert.equal((await pass('zd:agentWorkspace')).status, 200);
    assert.equal((await active()).id, aw.id);
    assert.equal((await pass('phone-handoff', c.integrationAuth)).status, 200);
    assert.equal((await active()).name, 'phone-handoff');
    assert.equal((await pass('next')).status, 200);
    assert.equal((await active()).name, 'zd-agentWorkspace', 'next follows nextSwitchboardIntegrationId');
    // A second custom integration makes "custom" ambiguous.
    const integrations = (await c.sunshine('GET', '/integrations')).body.integrations;
    const custom = integrations.find((i) => i.type === 'custom');
    const created = await c.sunshine('POST', `/switchboards/${switchboard.id}/switchboardIntegrations`, { body: { name: 'other-bot', integrationType: 'custom' } });
    assert.equal(created.status, 201);
    assert.ok(custom);
    const ambiguous = await pass('custom');
    assert.equal(ambiguous.status, 400);
    assert.match(ambiguous.body.errors[0].title, /ambiguous/);
    assert.equal((await c.sunshine('POST', `/conversations/${conversation.id}/passControl`, { body: {} })).status, 400);
    assert.equal((await c.sunshine('POST', '/conversations/000000000000000000000000/passControl', { body: { switchboardIntegration: 'next' } })).body.errors[0].code, 'conversation_not_found');
    assert.equal((await c.sunshine('POST', `/switchboards/${switchboard.id}/switchboardIntegrations`, { body: { name: 'bad name!', integrationType: 'x' } })).status, 400);
    assert.equal((await c.sunshine('POST', '/switchboards', { body: {} })).status, 400);
  });
});

test('switchboard: releaseControl and acceptControl are 403 for an integration that is not active/pending', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { conversation } = await makeUserAndConversation(c);
    const path = (action) => `/conversations/${conversation.id}/${action}`;
    const asIntegration = { headers: { Authorization: c.integrationAuth } };
    assert.equal((await c.sunshine('POST', path('releaseControl'), asIntegration)).status, 403, 'Agent Workspace is active, not phone-handoff');
    assert.equal((await c.sunshine('POST', path('offerControl'), { body: { switchboardIntegration: 'phone-handoff' } })).status, 200);
    const offered = (await c.sunshine('GET', `/conversations/${conversation.id}`)).body.conversation;
    assert.equal(offered.pendingSwitchboardIntegration.name, 'phone-handoff');
    assert.equal((await c.sunshine('POST', path('acceptControl'), { ...asIntegration, body: {} })).status, 200);
    assert.equal((await c.sunshine('POST', path('releaseControl'), asIntegration)).status, 200);
    const released = (await c.sunshine('GET', `/conversations/${conversation.id}`)).body.conversation;
    assert.equal(released.activeSwitchboardIntegration, undefined);
  });
});

test('users: sync with survivingZendeskId relinks the messaging user to the surviving Support user', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { conversation } = await makeUserAndConversation(c, 'caller-1');
    await c.sunshine('POST', `/conversations/${conversation.id}/messages`, { body: { author: { type: 'user', userExternalId: 'caller-1' }, content: text('hi') } });
    const user = (await c.sunshine('GET', '/users/caller-1')).body.user;
    assert.match(user.zendeskId, /^\d+$/, 'Agent Workspace linked the user when it opened the ticket');
    const survivor = await c.inspect('POST', '/support/users', { body: { name: 'Ada Lovelace', email: 'ada@example.com' } });
    const synced = await c.sunshine('POST', `/users/${user.zendeskId}/sync`, { body: { survivingZendeskId: String(survivor.body.user.id) } });
    assert.equal(synced.status, 200);
    assert.equal(synced.body.user.zendeskId, String(survivor.body.user.id));
    assert.deepEqual(synced.body.user.identities, [{ type: 'email', value: 'ada@example.com', verification: 'owner' }]);
    assert.equal((await c.sunshine('POST', '/users/999/sync', { body: {} })).status, 404);
  });
});
