// Agent Workspace emulation: when tickets open, what they show (first_message_id vs the last 10),
// tags and custom fields from dataCapture metadata, the requester, threading, and control coming
// back when a ticket closes.
import test from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { withSandbox } = require('../../node/sandbox/client.js');

async function setup(c, { externalId = 'phone:+15550009999', conversationMetadata } = {}) {
  await c.sunshine('POST', '/users', { body: { externalId, profile: { givenName: 'Ada', surname: 'Lovelace' } } });
  const created = await c.sunshine('POST', '/conversations', { body: { type: 'personal', participants: [{ userExternalId: externalId }], ...(conversationMetadata ? { metadata: conversationMetadata } : {}) } });
  const conversation = created.body.conversation;
  const post = async (author, t, extra = {}) => {
    const r = await c.sunshine('POST', `/conversations/${conversation.id}/messages`, {
      body: { author: author === 'user' ? { type: 'user', userExternalId: externalId } : { type: 'business', displayName: 'AI agent' }, content: { type: 'text', text: t }, ...extra },
    });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.messages[0].id;
  };
  const pass = (target, metadata) => c.sunshine('POST', `/conversations/${conversation.id}/passControl`, { body: { switchboardIntegration: target, ...(metadata ? { metadata } : {}) } });
  const tickets = async () => (await c.inspect('GET', '/tickets')).body.tickets;
  return { conversation, post, pass, tickets };
}

test('a user message while Agent Workspace owns the conversation opens a ticket at once (the risky default)', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { post, tickets } = await setup(c);
    await post('business', 'AI: hello');
    assert.equal((await tickets()).length, 0, 'business messages alone open no ticket');
    await post('user', 'I need a human');
    const [ticket] = await tickets();
    assert.ok(ticket, 'the first user-authored message opened a ticket');
    assert.deepEqual(ticket.tags, []);
    assert.deepEqual(ticket.messages.map((m) => m.content.text), ['AI: hello', 'I need a human']);
    await post('business', 'AI: more');
    assert.equal((await tickets()).length, 1, 'later messages thread into the open ticket');
    assert.equal((await tickets())[0].messages.length, 3);
  });
});

test('passControl to AW without first_message_id: the ticket shows only the last 10 messages', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { post, pass, tickets } = await setup(c);
    assert.equal((await pass('phone-handoff')).status, 200);
    for (let i = 1; i <= 14; i += 1) await post(i % 2 ? 'user' : 'business', `turn ${i}`);
    assert.equal((await tickets()).length, 0, 'no ticket while phone-handoff is active');
    await pass('zd-agentWorkspace', { 'dataCapture.systemField.tags': 'ai_voice handoff' });
    const [ticket] = await tickets();
    assert.deepEqual(ticket.messages.map((m) => m.content.text), Array.from({ length: 10 }, (_, i) => `turn ${i + 5}`));
    assert.deepEqual(ticket.tags, ['ai_voice', 'handoff'], 'space-separated tags are split too');
  });
});

test('passControl to AW with first_message_id, tags and ticket fields: the whole transcript and the data land on the ticket', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { post, pass, tickets, conversation } = await setup(c, { conversationMetadata: { 'dataCapture.ticketField.360002': 'from-conversation', 'dataCapture.ticketField.360003': 'kept' } });
    await pass('phone-handoff');
    await post('business', 'before the transcript');
    const first = await post('user', 'turn 1');
    for (let i = 2; i <= 14; i += 1) await post(i % 2 ? 'user' : 'business', `turn ${i}`, i % 2 ? {} : { destination: { integrationType: 'none' } });
    await pass('zd:agentWorkspace', {
      first_message_id: first,
      'dataCapture.systemField.tags': 'ai_voice,handoff, opencx_escalation',
      'dataCapture.ticketField.360001': 'sess-42',
      'dataCapture.ticketField.360002': 'from-passControl',
      'dataCapture.systemField.subject': 'Phone call handoff',
    });
    const [ticket] = await tickets();
    assert.equal(ticket.messages.length, 14);
    assert.equal(ticket.messages[0].id, first);
    assert.deepEqual(ticket.tags, ['ai_voice', 'handoff', 'opencx_escalation']);
    const fields = Object.fromEntries(ticket.custom_fields.map((f) => [f.id, f.value]));
    assert.deepEqual(fields, { 360001: 'sess-42', 360002: 'from-passControl', 360003: 'kept' });
    assert.equal(ticket.subject, 'Phone call handoff');
    assert.equal(ticket.requester.name, 'Ada Lovelace');
    assert.equal(ticket.requester.external_id, 'phone:+15550009999');
    assert.equal(ticket.conversationId, conversation.id);
    // The ZAF ticket.conversation view a sidebar app reads.
    assert.equal(ticket.conversation.length, 14);
    assert.deepEqual(ticket.conversation[0].author.role, 'end-user');
    assert.equal(ticket.conversation[1].author.role, 'agent');
    assert.equal(ticket.conversation[1].message.content, 'turn 2');
    const user = (await c.sunshine('GET', '/users/phone:+15550009999')).body.user;
    assert.equal(user.zendeskId, String(ticket.requester.id), 'the messaging user is linked to the requester');
    // The Support API sees the same ticket.
    const viaSupport = await c.support('GET', `/api/v2/tickets/${ticket.id}.json`);
    assert.equal(viaSupport.status, 200);
    assert.deepEqual(viaSupport.body.ticket.tags, ticket.tags);
  });
});

test('the requester is the Support user whose external_id matches the messaging externalId', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const seeded = await c.inspect('POST', '/support/users', { body: { name: 'Known Caller', phone: '+15550009999', external_id: 'crm-77' } });
    assert.equal(seeded.status, 201);
    const { post, pass, tickets } = await setup(c, { externalId: 'crm-77' });
    await pass('phone-handoff');
    await post('user', 'hi');
    await pass('zd-agentWorkspace');
    const [ticket] = await tickets();
    assert.equal(ticket.requester.id, seeded.body.user.id);
  });
});

test('passControl to AW before any message waits for the first message; an unknown first_message_id falls back to the last 10', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { post, pass, tickets } = await setup(c);
    await pass('phone-handoff');
    await pass('zd-agentWorkspace', { first_message_id: '000000000000000000000000', 'dataCapture.systemField.tags': 'waiting' });
    assert.equal((await tickets()).length, 0);
    await post('business', 'first');
    const [ticket] = await tickets();
    assert.deepEqual(ticket.tags, ['waiting']);
    assert.equal(ticket.messages.length, 1);
    assert.match(ticket.notes[0], /first_message_id/);
  });
});

test('silent messages show in the ticket unless settings.silentMessagesInTicket is false', async () => {
  await withSandbox({ settings: { silentMessagesInTicket: false } }, async (sandbox, c) => {
    const { post, pass, tickets } = await setup(c);
    await pass('phone-handoff');
    await post('business', 'silent', { destination: { integrationType: 'none' } });
    await post('user', 'loud');
    await pass('zd-agentWorkspace');
    assert.deepEqual((await tickets())[0].messages.map((m) => m.content.text), ['loud']);
  });
});

test('closing a ticket hands control back to phone-handoff; a later handoff opens a new ticket', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { post, pass, tickets, conversation } = await setup(c);
    await pass('phone-handoff');
    await post('user', 'first call');
    await pass('zd-agentWorkspace');
    const [ticket] = await tickets();
    const closed = await c.inspect('POST', `/tickets/${ticket.id}/close`);
    assert.equal(closed.status, 200);
    assert.equal(closed.body.ticket.status, 'closed');
    const after = (await c.sunshine('GET', `/conversations/${conversation.id}`)).body.conversation;
    assert.equal(after.activeSwitchboardIntegration.name, 'phone-handoff');
    await post('user', 'second call');
    assert.equal((await tickets()).length, 1, 'no ticket while phone-handoff is active');
    await pass('zd-agentWorkspace');
    const all = await tickets();
    assert.equal(all.length, 2);
    assert.equal(all[1].messages.at(-1).content.text, 'second call');
    assert.equal((await c.inspect('POST', '/tickets/999/close')).status, 404);
    assert.equal((await c.inspect('POST', `/tickets/${all[1].id}/close`, { body: { status: 'pending' } })).status, 400);
  });
});

test('after a Support merge the next ticket goes to the surviving user', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const { post, pass, tickets } = await setup(c);
    await post('user', 'first call');
    const [first] = await tickets();
    await c.inspect('POST', `/tickets/${first.id}/close`);
    const survivor = await c.inspect('POST', '/support/users', { body: { name: 'Ada (CRM)', email: 'ada@example.com' } });
    await c.inspect('POST', '/settings', { body: { merge: { rejectSsoExternalIds: false } } });
    const merged = await c.support('PUT', `/api/v2/users/${first.requester.id}/merge.json`, { body: { user: { id: survivor.body.user.id } } });
    assert.equal(merged.status, 200);
    await post('user', 'second call');
    await pass('zd-agentWorkspace');
    const second = (await tickets())[1];
    assert.equal(second.requester.id, survivor.body.user.id);
    assert.equal((await c.support('GET', `/api/v2/tickets/${first.id}.json`)).body.ticket.requester_id, survivor.body.user.id, 'old tickets moved too');
  });
});
