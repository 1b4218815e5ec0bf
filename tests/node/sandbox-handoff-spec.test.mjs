// A whole phone handoff walked through the sandbox the way phone-handoff does it, checking the
// ticket a rep would see; then the request log of that walk is checked against the official
// OpenAPI spec (paths and methods exist, bodies validate against the requestBody schemas), and
// the sandbox's own responses and webhook payloads against the spec's response schemas.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';

import { hasSpec, loadSunshineSpec, specPath } from './support/openapi.mjs';

const require = createRequire(import.meta.url);
const { withSandbox } = require('../../node/sandbox/client.js');


// Records webhook deliveries for the walk.
async function startReceiver() {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => { received.push(JSON.parse(Buffer.concat(chunks).toString('utf8'))); res.writeHead(200); res.end(); });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, received, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

// The handoff, step by step as the reference's §7 describes it. Returns every response.
async function walkHandoff(c) {
  const responses = [];
  const call = async (method, p, body) => {
    const r = await c.sunshine(method, p, body === undefined ? {} : { body });
    responses.push({ method, path: c.app(p).replace(/\?.*$/, ''), status: r.status, body: r.body });
    return r;
  };
  const externalId = 'phone:+15550009999';
  assert.equal((await call('GET', `/users/${encodeURIComponent(externalId)}`)).status, 404);
  assert.equal((await call('POST', '/users', { externalId, profile: { givenName: 'Ada', surname: 'Lovelace' }, metadata: { phone: '+15550009999' } })).status, 201);
  const conversation = (await call('POST', '/conversations', {
    type: 'personal', participants: [{ userExternalId: externalId }], displayName: 'Phone call 2026-01-01',
    description: 'AI phone call handed off to a human', metadata: { opencx_session_id: 'sess-42', phone_handoff_call_id: 'call-7' },
  })).body.conversation;
  assert.equal(conversation.activeSwitchboardIntegration.name, 'zd-agentWorkspace');
  assert.equal((await call('POST', `/conversations/${conversation.id}/passControl`, { switchboardIntegration: 'phone-handoff' })).status, 200);
  assert.equal((await call('GET', `/conversations/${conversation.id}`)).body.conversation.activeSwitchboardIntegration.name, 'phone-handoff');
  const transcript = [
    '[00:01] AI agent: Thanks for calling Example Co, how can I help?',
    '[00:05] Caller: My order 1234 never arrived and I want a refund.',
    '[00:12] AI agent: I can see order 1234. Refunds need a human; let me transfer you.',
    '[00:20] Caller: Please do.',
  ].join('\n');
  const first = await call('POST', `/conversations/${conversation.id}/messages`, {
    author: { type: 'business', displayName: 'AI agent', subtypes: ['AI'] }, content: { type: 'text', text: transcript },
    destination: { integrationType: 'none' },
    metadata: { phone_handoff_kind: 'transcript', opencx_session_id: 'sess-42', phone_handoff_call_id: 'call-7', phone_handoff_part: 1, phone_handoff_parts: 1, phone_handoff_first_turn: 0, phone_handoff_last_turn: 3, phone_handoff_turns: '0:a:1000:4000;1:c:5000:11000;2:a:12000:19000;3:c:20000:21000' },
  });
  assert.equal(first.status, 201);
  const firstMessageId = first.body.messages[0].id;
  await call('POST', `/conversations/${conversation.id}/messages`, {
    author: { type: 'user', userExternalId: externalId }, content: { type: 'text', text: 'Please do.' }, metadata: { seq: 3 },
  });
  await call('POST', `/conversations/${conversation.id}/messages`, {
    author: { type: 'business', displayName: 'AI agent' }, content: { type: 'text', text: 'Summary: caller wants a refund for order 1234 that never arrived. Reason: missing tools.' },
    destination: { integrationType: 'none' }, metadata: { phone_handoff_kind: 'summary', opencx_session_id: 'sess-42' },
  });
  const listed = await call('GET', `/conversations/${conversation.id}/messages`);
  assert.equal(listed.body.messages.length, 3);
  assert.equal((await call('POST', `/conversations/${conversation.id}/passControl`, {
    switchboardIntegration: 'zd:agentWorkspace',
    metadata: {
      first_message_id: firstMessageId, 'dataCapture.systemField.tags': 'opencx ai_voice_handoff',
      'dataCapture.ticketField.360001': 'sess-42', 'dataCapture.ticketField.360002': 'call-7', 'dataCapture.ticketField.360009': '1234',
    },
  })).status, 200);
  return { conversation, firstMessageId, responses };
}

test('a whole handoff: user → conversation → passControl to phone-handoff → transcript → passControl to AW; the rep sees everything', async () => {
  const receiver = await startReceiver();
  try {
    await withSandbox({ webhookTarget: receiver.url }, async (sandbox, c) => {
      const { conversation, firstMessageId } = await walkHandoff(c);
      const { tickets } = (await c.inspect('GET', '/tickets')).body;
      assert.equal(tickets.length, 1, 'exactly one ticket, opened by the handoff (not by the transcript)');
      const [ticket] = tickets;
      assert.equal(ticket.conversationId, conversation.id);
      assert.equal(ticket.status, 'open');
      assert.deepEqual(ticket.tags, ['opencx', 'ai_voice_handoff']);
      assert.deepEqual(Object.fromEntries(ticket.custom_fields.map((f) => [f.id, f.value])), { 360001: 'sess-42', 360002: 'call-7', 360009: '1234' });
      assert.equal(ticket.requester.name, 'Ada Lovelace');
      assert.equal(ticket.requester.external_id, 'phone:+15550009999');
      assert.equal(ticket.messages[0].id, firstMessageId);
      assert.deepEqual(ticket.messages.map((m) => m.metadata && m.metadata.phone_handoff_kind), ['transcript', undefined, 'summary']);
      assert.match(ticket.messages[0].content.text, /^\[00:01\] AI agent: Thanks for calling/);
      assert.equal(ticket.conversation[2].metadata.phone_handoff_kind, 'summary');
      await sandbox.webhooksIdle();
      const types = receiver.received.flatMap((delivery) => delivery.events.map((e) => e.type));
      assert.deepEqual(types.filter((t) => t === 'switchboard:passControl').length, 2);
      assert.equal(types.filter((t) => t === 'conversation:message').length, 3);
    });
  } finally {
    await receiver.close();
  }
});

test('the handoff\'s requests match the OpenAPI spec: paths, methods and request bodies', { skip: !hasSpec && `spec not found at ${specPath}` }, async () => {
  const { validate, operation } = loadSunshineSpec();
  // The validator itself must be able to fail.
  assert.notEqual(validate('#/components/schemas/messagePost', { author: { type: 'robot' }, content: { type: 'text', text: 'x' } }), null);
  assert.notEqual(validate('#/components/schemas/messagePost', { author: { type: 'business' }, content: { type: 'text', text: 'x'.repeat(4097) } }), null);
  assert.notEqual(validate('#/components/schemas/conversationCreateBody', { participants: [] }), null);
  assert.equal(operation('POST', '/v2/apps/x/nowhere'), null);
  await withSandbox({}, async (sandbox, c) => {
    await walkHandoff(c);
    const { requests } = (await c.inspect('GET', '/requests')).body;
    const sunshine = requests.filter((r) => r.area === 'sunshine');
    assert.ok(sunshine.length >= 10);
    for (const request of sunshine) {
      const specPathOf = request.path.replace(/^\/sc/, '');
      const found = operation(request.method, specPathOf);
      assert.ok(found, `${request.method} ${specPathOf} is not in the spec`);
      const schema = found.op.requestBody && found.op.requestBody.content['application/json'].schema;
      if (request.body !== null) {
        assert.ok(schema, `${found.op.operationId} takes no body`);
        const problem = validate(schema.$ref, request.body);
        assert.equal(problem, null, `${found.op.operationId} body: ${problem}`);
      }
      assert.ok(found.op.responses[String(request.status)], `${found.op.operationId} has no ${request.status} response in the spec`);
    }
  });
});

test('the sandbox\'s responses and webhook payloads validate against the spec\'s response schemas', { skip: !hasSpec && `spec not found at ${specPath}` }, async () => {
  const { spec, validate, operation } = loadSunshineSpec();
  const receiver = await startReceiver();
  try {
    await withSandbox({ webhookTarget: receiver.url }, async (sandbox, c) => {
      const { conversation, responses } = await walkHandoff(c);
      const extra = [
        ['GET', '/switchboards'],
        ['GET', `/switchboards/${(await c.sunshine('GET', '/switchboards')).body.switchboards[0].id}/switchboardIntegrations`],
        ['GET', `/conversations?filter[userExternalId]=${encodeURIComponent('phone:+15550009999')}`],
        ['GET', `/conversations/${conversation.id}/participants`],
        ['POST', '/users', { externalId: 'phone:+15550009999' }],
        ['GET', '/users/nobody'],
        ['GET', `/conversations/${'0'.repeat(24)}`],
      ];
      for (const [method, p, body] of extra) {
        const r = await c.sunshine(method, p, body ? { body } : {});
        responses.push({ method, path: c.app(p).replace(/\?.*$/, ''), status: r.status, body: r.body });
      }
      const checked = new Set();
      for (const response of responses) {
        const found = operation(response.method, response.path.replace(/^\/sc/, ''));
        assert.ok(found, `${response.method} ${response.path}`);
        const documented = found.op.responses[String(response.status)];
        assert.ok(documented, `${found.op.operationId} answered ${response.status}, which the spec does not list`);
        const schema = documented.content && documented.content['application/json'].schema;
        if (!schema || !schema.$ref) continue;
        const problem = validate(schema.$ref, response.body);
        assert.equal(problem, null, `${found.op.operationId} ${response.status}: ${problem}`);
        checked.add(`${found.op.operationId} ${response.status}`);
      }
      for (const must of ['CreateUser 201', 'GetUser 404', 'CreateUser 409', 'CreateConversation 201', 'GetConversation 200', 'PostMessage 201', 'ListMessages 200', 'ListConversations 200', 'ListSwitchboards 200', 'ListSwitchboardIntegrations 200']) {
        assert.ok(checked.has(must), `${must} was validated`);
      }
      await sandbox.webhooksIdle();
      const eventSchemas = {
        'conversation:message': '#/components/schemas/conversationMessageEvent',
        'switchboard:passControl': '#/components/schemas/switchboardPassControl',
      };
      let events = 0;
      for (const delivery of receiver.received) {
        assert.deepEqual(Object.keys(delivery).sort(), ['app', 'events', 'webhook']);
        assert.equal(validate('#/components/schemas/appSubSchema', delivery.app), null);
        assert.equal(validate('#/components/schemas/webhookSubSchema', delivery.webhook), null);
        for (const event of delivery.events) {
          assert.equal(validate(eventSchemas[event.type], event), null, event.type);
          events += 1;
        }
      }
      assert.equal(events, 5);
      assert.ok(spec.components.schemas.switchboardPassControl);
    });
  } finally {
    await receiver.close();
  }
});
