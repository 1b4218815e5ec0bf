// The Support API subset: auth, phone search (digits, leading *, index delay), users, merge rules,
// and the inspection API (request log without secrets, reset, settings, seeding).
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { withSandbox, request, basic } = require('../../node/sandbox/client.js');

const searchPhone = (c, digits) => c.support('GET', `/api/v2/search.json?query=${encodeURIComponent(`role:end-user phone:${digits}`)}`);

test('support auth: {email}/token:{token} only; anything else is 401 "Couldn\'t authenticate you"', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const k = sandbox.credentials;
    for (const Authorization of [undefined, basic(k.supportEmail, k.supportToken), basic(`${k.supportEmail}/token`, 'wrong'), basic(k.keyId, k.secret)]) {
      const r = await request(sandbox.url, 'GET', '/api/v2/users/1.json', { headers: Authorization ? { Authorization } : {} });
      assert.equal(r.status, 401);
      assert.deepEqual(r.body, { error: "Couldn't authenticate you" });
    }
    assert.equal((await c.support('GET', '/api/v2/users/1.json')).status, 200);
    assert.deepEqual((await c.support('GET', '/api/v2/users/424242.json')).body, { error: 'RecordNotFound', description: 'Not found' });
  });
});

test('search by phone: digits only; a leading * matches numbers stored in any format', async () => {
  await withSandbox({}, async (sandbox, c) => {
    for (const phone of ['+1 513.555.7611', '(513) 555-7611', '+15135557611']) {
      assert.equal((await c.inspect('POST', '/support/users', { body: { name: `Caller ${phone}`, phone } })).status, 201);
    }
    await c.inspect('POST', '/support/users', { body: { name: 'Agent Smith', phone: '+15135557611', role: 'agent' } });
    const wildcard = await searchPhone(c, '*5135557611');
    assert.equal(wildcard.status, 200);
    assert.equal(wildcard.body.count, 3, 'role:end-user excludes the agent');
    assert.ok(wildcard.body.results.every((r) => r.result_type === 'user' && r.role === 'end-user'));
    assert.equal(wildcard.body.next_page, null);
    assert.equal((await searchPhone(c, '15135557611')).body.count, 2, 'without * only the exact digits match');
    assert.equal((await searchPhone(c, '+15135557611')).body.count, 0, 'a + is not a digit');
    assert.equal((await c.support('GET', '/api/v2/search.json')).status, 400);
    assert.equal((await c.support('GET', '/api/v2/search.json?query=type:user&page=11&per_page=100')).status, 422, 'past 1,000 results');
    const paged = await c.support('GET', `/api/v2/search.json?query=${encodeURIComponent('phone:*5557611')}&per_page=2`);
    assert.equal(paged.body.results.length, 2);
    assert.match(paged.body.next_page, /page=2/);
  });
});

test('search is index-based: a new user is searchable only after the indexing delay; external_id lookup is immediate', async () => {
  await withSandbox({ settings: { indexingDelayMs: 1500 } }, async (sandbox, c) => {
    const created = await c.support('POST', '/api/v2/users.json', { body: { user: { name: 'New Caller', phone: '+15550001234', external_id: 'crm-1' } } });
    assert.equal(created.status, 201);
    assert.equal(created.body.user.role, 'end-user');
    assert.equal((await searchPhone(c, '*5550001234')).body.count, 0, 'not indexed yet');
    const exact = await c.support('GET', '/api/v2/users/search.json?external_id=crm-1');
    assert.equal(exact.body.users.length, 1);
    const deadline = Date.now() + 10000;
    let found = 0;
    while (found === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      found = (await searchPhone(c, '*5550001234')).body.count;
    }
    assert.equal(found, 1, 'searchable once indexed');
    assert.ok(Date.now() - Date.parse(created.body.user.created_at) >= 1400, 'not before the indexing delay');
    assert.equal((await c.support('GET', `/api/v2/users/search.json?query=${encodeURIComponent('phone:*5550001234')}`)).body.count, 1);
    const seeded = await c.inspect('POST', '/support/users', { body: { name: 'Seeded', phone: '+15550009876' } });
    assert.equal(seeded.status, 201);
    assert.equal((await searchPhone(c, '*5550009876')).body.count, 1, 'seeded users are indexed at once by default');
  });
});

test('create user: name required; duplicate email/external_id are 422 RecordInvalid; phone validation when enabled', async () => {
  await withSandbox({ settings: { validatePhones: true } }, async (sandbox, c) => {
    const nameless = await c.support('POST', '/api/v2/users.json', { body: { user: { phone: '+15550001234' } } });
    assert.equal(nameless.status, 422);
    assert.equal(nameless.body.error, 'RecordInvalid');
    assert.ok(nameless.body.details.name);
    assert.equal((await c.support('POST', '/api/v2/users.json', { body: { user: { name: 'A', email: 'a@example.com' } } })).status, 201);
    assert.equal((await c.support('POST', '/api/v2/users.json', { body: { user: { name: 'B', email: 'A@example.com' } } })).status, 422);
    assert.equal((await c.support('POST', '/api/v2/users.json', { body: { user: { name: 'C', phone: '555-1234' } } })).status, 422);
    assert.equal((await c.support('POST', '/api/v2/users.json', { body: { name: 'no wrapper' } })).status, 400);
  });
});

test('merge: end users only (403 for agents), no external ids under SSO, no unverified phone-only target (422); flags relax them', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const make = async (body) => (await c.inspect('POST', '/support/users', { body })).body.user.id;
    const agent = await make({ name: 'Agent', email: 'agent@example.com', role: 'agent' });
    const phoneOnly = await make({ name: 'Phone only', phone: '+15550000001' });
    const withEmail = await make({ name: 'Email user', email: 'ada@example.com' });
    const withExternal = await make({ name: 'CRM user', email: 'crm@example.com', external_id: 'crm-9' });
    const merge = (from, into) => c.support('PUT', `/api/v2/users/${from}/merge.json`, { body: { user: { id: into } } });
    const forbidden = await merge(phoneOnly, agent);
    assert.equal(forbidden.status, 403);
    assert.equal(forbidden.body.error, 'Forbidden');
    assert.equal((await merge(phoneOnly, withExternal)).status, 422);
    const phoneTarget = await merge(withEmail, phoneOnly);
    assert.equal(phoneTarget.status, 422);
    assert.equal(phoneTarget.body.error, 'RecordInvalid');
    const merged = await merge(phoneOnly, withEmail);
    assert.equal(merged.status, 200);
    assert.equal(merged.body.user.id, withEmail, 'the body user survives');
    assert.equal((await merge(phoneOnly, withEmail)).status, 404, 'the merged-away user is gone');
    await c.inspect('POST', '/settings', { body: { merge: { rejectSsoExternalIds: false, rejectPhoneOnlyTarget: false } } });
    const another = await make({ name: 'Another phone', phone: '+15550000002' });
    assert.equal((await merge(withExternal, another)).status, 200);
    assert.equal((await merge(withEmail, withEmail)).status, 422);
  });
});

test('inspection API: the request log keeps method, path, body and status but never credentials', async () => {
  await withSandbox({}, async (sandbox, c) => {
    await c.sunshine('POST', '/users', { body: { externalId: 'logged' } });
    await c.support('GET', '/api/v2/users/1.json');
    const { requests } = (await c.inspect('GET', '/requests')).body;
    assert.equal(requests.length, 2);
    assert.deepEqual(requests.map((r) => [r.method, r.status, r.area]), [['POST', 201, 'sunshine'], ['GET', 200, 'support']]);
    assert.deepEqual(requests[0].body, { externalId: 'logged' });
    const text = JSON.stringify(requests);
    for (const secret of [sandbox.credentials.secret, sandbox.credentials.supportToken, 'authorization', c.appAuth]) {
      assert.ok(!text.toLowerCase().includes(secret.toLowerCase()), `log leaks ${secret.slice(0, 4)}…`);
    }
    const since = (await c.inspect('GET', `/requests?since=${requests[0].seq}`)).body.requests;
    assert.equal(since.length, 1);
    const settings = await c.inspect('POST', '/settings', { body: { requestLogSize: 1 } });
    assert.equal(settings.body.settings.requestLogSize, 1);
    await c.sunshine('GET', '/users/logged');
    await c.sunshine('GET', '/users/logged');
    assert.equal((await c.inspect('GET', '/requests')).body.requests.length, 1, 'a bounded ring buffer');
    assert.equal((await c.inspect('POST', '/settings', { body: { nope: 1 } })).status, 400);
    assert.equal((await c.inspect('POST', '/settings', { body: { indexingDelayMs: 'soon' } })).status, 400);
  });
});

test('inspection API: credentials, users, reset keeps credentials and clears state; unknown routes are 404', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const creds = (await c.inspect('GET', '/credentials')).body;
    assert.equal(creds.appId, sandbox.credentials.appId);
    await c.sunshine('POST', '/users', { body: { externalId: 'gone-after-reset' } });
    assert.equal((await c.inspect('GET', '/users')).body.messaging.length, 1);
    assert.equal((await c.inspect('POST', '/reset')).status, 200);
    assert.equal((await c.inspect('GET', '/users')).body.messaging.length, 0);
    assert.equal((await c.sunshine('GET', '/users/gone-after-reset')).status, 404, 'the old credentials still work');
    assert.equal((await c.inspect('GET', '/nope')).status, 404);
    assert.equal((await c.raw('GET', '/v2/apps/x/users/y')).status, 404, 'the legacy base path is not served');
    const logged = (await c.inspect('GET', '/requests')).body.requests.at(-1);
    assert.deepEqual([logged.path, logged.status, logged.area], ['/v2/apps/x/users/y', 404, null]);
    const page = await c.raw('GET', '/sandbox/');
    assert.equal(page.status, 200);
    assert.match(page.headers['content-type'], /text\/html/);
    assert.equal((await c.raw('GET', '/sandbox/ui/../index.js')).status, 404, 'no path traversal');
  });
});

test('Support paths answer with or without ".json", as Zendesk does', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const created = await c.inspect('POST', '/support/users', { body: { name: 'Pat', phone: '+15550001234', email: 'pat@example.com' } });
    const id = created.body.user.id;
    assert.equal((await c.support('GET', `/api/v2/users/${id}.json`)).status, 200);
    assert.equal((await c.support('GET', `/api/v2/users/${id}`)).status, 200);
    assert.equal((await c.support('GET', '/api/v2/users/424242')).status, 404);
  });
});

test('PUT /api/v2/tickets/{id} updates custom fields; a missing ticket is 404 and a bad body 422', async () => {
  await withSandbox({}, async (sandbox, c) => {
    assert.equal((await c.support('PUT', '/api/v2/tickets/999', { body: { ticket: { custom_fields: [] } } })).status, 404);
    // A ticket exists once Agent Workspace opens one: create it through a handoff-shaped flow.
    const user = await c.sunshine('POST', '/users', { body: { externalId: 'phone:+15550001111' } });
    const conv = await c.sunshine('POST', '/conversations', { body: { type: 'personal', participants: [{ userExternalId: 'phone:+15550001111' }] } });
    const msg = await c.sunshine('POST', `/conversations/${conv.body.conversation.id}/messages`, { body: { author: { type: 'business' }, content: { type: 'text', text: 'summary' } } });
    await c.sunshine('POST', `/conversations/${conv.body.conversation.id}/passControl`, { body: { switchboardIntegration: 'zd-agentWorkspace', metadata: { first_message_id: msg.body.messages[0].id, 'dataCapture.ticketField.360001': 'a' } } });
    assert.equal(user.status, 201);
    const { tickets } = (await c.inspect('GET', '/tickets')).body;
    assert.equal(tickets.length, 1);
    const put = await c.support('PUT', `/api/v2/tickets/${tickets[0].id}`, { body: { ticket: { custom_fields: [{ id: 360001, value: 'b' }, { id: 360002, value: 'c' }] } } });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body.ticket.custom_fields.map((f) => [f.id, f.value]), [[360001, 'b'], [360002, 'c']]);
    assert.equal((await c.support('PUT', `/api/v2/tickets/${tickets[0].id}`, { body: { nope: 1 } })).status, 422);
  });
});
