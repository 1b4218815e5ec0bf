// Outgoing webhooks (envelope, X-API-Key, retries like Sunshine's, no retry on 4xx) and faults on
// demand (latency, 429 with/without Retry-After, 500, 503, timeouts, dropped connections, lost
// responses; probability or next-N; deterministic with a seed).
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { withSandbox } = require('../../node/sandbox/client.js');
const { RETRY_DELAYS_MS, MAX_ATTEMPTS, TIMEOUT_MS } = require('../../node/sandbox/sunshine/webhooks.js');

// A webhook receiver that answers with the scripted statuses in turn (then 200).
async function startReceiver(statuses = [], { delayMs = 0 } = {}) {
  const received = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      received.push({ headers: req.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')), at: Date.now() });
      const status = statuses.length ? statuses.shift() : 200;
      setTimeout(() => { res.writeHead(status); res.end(); }, delayMs);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${server.address().port}/hook`, received, close: () => new Promise((r) => { server.closeAllConnections(); server.close(r); }) };
}

// A sandbox whose webhook posts to a fresh receiver answering the scripted statuses.
async function withHookedSandbox(statuses, options, body) {
  const receiver = await startReceiver(statuses);
  try {
    await withSandbox({ webhookTarget: receiver.url, ...options }, (sandbox, c) => body(sandbox, c, receiver));
  } finally {
    await receiver.close();
  }
}

async function conversationWithUser(c) {
  await c.sunshine('POST', '/users', { body: { externalId: 'caller' } });
  return (await c.sunshine('POST', '/conversations', { body: { type: 'personal', participants: [{ userExternalId: 'caller' }] } })).body.conversation;
}

test('the retry schedule is Sunshine\'s: 5 attempts within 15 minutes, 20 s timeout', () => {
  assert.equal(MAX_ATTEMPTS, 5);
  assert.equal(TIMEOUT_MS, 20000);
  const worstCase = RETRY_DELAYS_MS.reduce((a, b) => a + b, 0) + MAX_ATTEMPTS * TIMEOUT_MS;
  assert.ok(worstCase <= 15 * 60 * 1000);
  assert.ok(RETRY_DELAYS_MS.every((d, i) => i === 0 || d === RETRY_DELAYS_MS[i - 1] * 2), 'exponential');
});

test('conversation:message and switchboard:passControl are delivered with the v2 envelope and X-API-Key', async () => {
  await withHookedSandbox([], {}, async (sandbox, c, receiver) => {
    const conversation = await conversationWithUser(c);
    await c.sunshine('POST', `/conversations/${conversation.id}/passControl`, { body: { switchboardIntegration: 'phone-handoff', metadata: { k: 'v' } } });
    await c.sunshine('POST', `/conversations/${conversation.id}/messages`, { body: { author: { type: 'user', userExternalId: 'caller' }, content: { type: 'text', text: 'hi' } } });
    await sandbox.webhooksIdle();
    assert.equal(receiver.received.length, 2);
    for (const { headers, body } of receiver.received) {
      assert.equal(headers['x-api-key'], sandbox.credentials.webhookSecret);
      assert.equal(headers['content-type'], 'application/json');
      assert.deepEqual(body.app, { id: sandbox.credentials.appId });
      assert.equal(body.webhook.version, 'v2');
      assert.equal(body.events.length, 1);
      assert.match(body.events[0].id, /^[0-9a-f]{24}$/);
      assert.match(body.events[0].createdAt, /Z$/);
    }
    // Deliveries are concurrent, as in Sunshine: find events by type, not by arrival order.
    const events = receiver.received.map((r) => r.body.events[0]);
    const pass = events.find((e) => e.type === 'switchboard:passControl');
    const message = events.find((e) => e.type === 'conversation:message');
    assert.equal(pass.type, 'switchboard:passControl');
    assert.equal(pass.payload.conversation.activeSwitchboardIntegration.name, 'phone-handoff');
    assert.deepEqual(pass.payload.metadata, { k: 'v' });
    assert.equal(message.type, 'conversation:message');
    assert.equal(message.payload.message.content.text, 'hi');
    assert.equal(message.payload.message.source.type, 'api:conversations');
    assert.equal(message.payload.message.author.user.externalId, 'caller');
  });
});

test('with webhookBatchMs, events close together share one delivery (events[] holds several types)', async () => {
  await withHookedSandbox([], { settings: { webhookBatchMs: 200 } }, async (sandbox, c, receiver) => {
    const conversation = await conversationWithUser(c);
    await c.sunshine('POST', `/conversations/${conversation.id}/passControl`, { body: { switchboardIntegration: 'phone-handoff' } });
    await c.sunshine('POST', `/conversations/${conversation.id}/messages`, { body: { author: { type: 'business' }, content: { type: 'text', text: 'hi' } } });
    await sandbox.webhooksIdle();
    assert.equal(receiver.received.length, 1);
    assert.deepEqual(receiver.received[0].body.events.map((e) => e.type), ['switchboard:passControl', 'conversation:message']);
    const [delivery] = (await c.inspect('GET', '/webhooks')).body.deliveries;
    assert.equal(delivery.eventIds.length, 2);
    assert.equal(delivery.state, 'delivered');
  });
});

test('passControl to an unknown target answers 200 and delivers switchboard:passControl:failure', async () => {
  await withHookedSandbox([], {}, async (sandbox, c, receiver) => {
    const conversation = await conversationWithUser(c);
    const r = await c.sunshine('POST', `/conversations/${conversation.id}/passControl`, { body: { switchboardIntegration: 'no-such-bot', metadata: { a: 1 } } });
    assert.equal(r.status, 200);
    await sandbox.webhooksIdle();
    const event = receiver.received.map((x) => x.body.events[0]).find((e) => e.type === 'switchboard:passControl:failure');
    assert.deepEqual(event.payload.error, { code: 'switchboard_invalid_target', message: 'Switchboard invalid target' });
    assert.deepEqual(event.payload.metadata, { a: 1 });
  });
});

test('closing a ticket delivers switchboard:passControl with reason ticketClosed', async () => {
  await withHookedSandbox([], {}, async (sandbox, c, receiver) => {
    const conversation = await conversationWithUser(c);
    await c.sunshine('POST', `/conversations/${conversation.id}/messages`, { body: { author: { type: 'user', userExternalId: 'caller' }, content: { type: 'text', text: 'hi' } } });
    const [ticket] = (await c.inspect('GET', '/tickets')).body.tickets;
    await c.inspect('POST', `/tickets/${ticket.id}/close`);
    await sandbox.webhooksIdle();
    const event = receiver.received.map((x) => x.body.events[0]).find((e) => e.type === 'switchboard:passControl');
    assert.equal(event.payload.reason, 'ticketClosed');
    assert.equal(event.payload.conversation.activeSwitchboardIntegration.name, 'phone-handoff');
  });
});

test('an agent reply from the ticket is delivered as conversation:message from zd:agentWorkspace with subtype agent', async () => {
  await withHookedSandbox([], {}, async (sandbox, c, receiver) => {
    const conversation = await conversationWithUser(c);
    await c.sunshine('POST', `/conversations/${conversation.id}/messages`, { body: { author: { type: 'user', userExternalId: 'caller' }, content: { type: 'text', text: 'hi' } } });
    const [ticket] = (await c.inspect('GET', '/tickets')).body.tickets;
    const replied = await c.inspect('POST', `/tickets/${ticket.id}/reply`, { body: { text: 'Hello from a human' } });
    assert.equal(replied.status, 201);
    assert.equal(replied.body.ticket.messages.at(-1).content.text, 'Hello from a human');
    assert.equal((await c.inspect('POST', `/tickets/${ticket.id}/reply`, { body: { text: '' } })).status, 400);
    assert.equal((await c.inspect('POST', '/tickets/999/reply', { body: { text: 'x' } })).status, 404);
    await sandbox.webhooksIdle();
    const events = receiver.received.map((x) => x.body.events[0]).filter((e) => e.type === 'conversation:message');
    // Agent Workspace is active and phone-handoff is on standby with deliverStandbyEvents: both messages arrive.
    const agentMessage = events.find((e) => e.payload.message.source.type === 'zd:agentWorkspace');
    assert.ok(agentMessage);
    assert.equal(agentMessage.payload.message.author.type, 'business');
    assert.deepEqual(agentMessage.payload.message.author.subtypes, ['agent']);
  });
});

test('a standby integration without deliverStandbyEvents gets no conversation:message', async () => {
  await withHookedSandbox([], {}, async (sandbox, c, receiver) => {
    const switchboard = (await c.sunshine('GET', '/switchboards')).body.switchboards[0];
    const sbis = (await c.sunshine('GET', `/switchboards/${switchboard.id}/switchboardIntegrations`)).body.switchboardIntegrations;
    const ph = sbis.find((s) => s.name === 'phone-handoff');
    await c.sunshine('PATCH', `/switchboards/${switchboard.id}/switchboardIntegrations/${ph.id}`, { body: { deliverStandbyEvents: false } });
    const conversation = await conversationWithUser(c);
    await c.sunshine('POST', `/conversations/${conversation.id}/messages`, { body: { author: { type: 'business' }, content: { type: 'text', text: 'while AW is active' } } });
    await c.sunshine('POST', `/conversations/${conversation.id}/passControl`, { body: { switchboardIntegration: 'phone-handoff' } });
    await c.sunshine('POST', `/conversations/${conversation.id}/messages`, { body: { author: { type: 'business' }, content: { type: 'text', text: 'while phone-handoff is active' } } });
    await sandbox.webhooksIdle();
    const texts = receiver.received.map((x) => x.body.events[0]).filter((e) => e.type === 'conversation:message').map((e) => e.payload.message.content.text);
    assert.deepEqual(texts, ['while phone-handoff is active']);
  });
});

test('a 500 is retried (same event id, exponential spacing); a 400 is not; the time factor scales the schedule', async () => {
  await withHookedSandbox([500, 503, 200, 400], { settings: { webhookTimeFactor: 0.002 } }, async (sandbox, c, receiver) => {
    const conversation = await conversationWithUser(c);
    await c.sunshine('POST', `/conversations/${conversation.id}/passControl`, { body: { switchboardIntegration: 'phone-handoff' } });
    await sandbox.webhooksIdle();
    assert.equal(receiver.received.length, 3);
    const ids = new Set(receiver.received.map((r) => r.body.events[0].id));
    assert.equal(ids.size, 1, 'a retry re-sends the same event id');
    assert.ok(receiver.received[1].at - receiver.received[0].at >= RETRY_DELAYS_MS[0] * 0.002 - 5);
    await c.sunshine('POST', `/conversations/${conversation.id}/passControl`, { body: { switchboardIntegration: 'zd-agentWorkspace' } });
    await sandbox.webhooksIdle();
    assert.equal(receiver.received.length, 4, '400 is not retried');
    const { deliveries } = (await c.inspect('GET', '/webhooks')).body;
    assert.deepEqual(deliveries.map((d) => d.state), ['delivered', 'failed']);
    assert.deepEqual(deliveries[0].attempts.map((a) => a.status), [500, 503, 200]);
  });
});

test('a receiver that always fails gets exactly 5 attempts; a slow receiver times out and is retried', async () => {
  const failing = await startReceiver([500, 500, 500, 500, 500, 500, 500]);
  const slow = await startReceiver([], { delayMs: 200 });
  try {
    await withSandbox({ webhookTarget: failing.url, settings: { webhookTimeFactor: 0.001 } }, async (sandbox, c) => {
      const conversation = await conversationWithUser(c);
      await c.sunshine('POST', `/conversations/${conversation.id}/passControl`, { body: { switchboardIntegration: 'phone-handoff' } });
      await sandbox.webhooksIdle();
      assert.equal(failing.received.length, 5);
      // 20 s × 0.001 = 20 ms timeout against a 200 ms receiver.
      await c.inspect('POST', '/webhooks/target', { body: { target: slow.url } });
      await c.sunshine('POST', `/conversations/${conversation.id}/passControl`, { body: { switchboardIntegration: 'zd-agentWorkspace' } });
      await sandbox.webhooksIdle();
      const last = (await c.inspect('GET', '/webhooks')).body.deliveries.at(-1);
      assert.equal(last.state, 'failed');
      assert.equal(last.attempts.length, 5);
      assert.match(last.attempts[0].error, /timed out/);
    });
  } finally {
    await failing.close();
    await slow.close();
  }
});

test('faults: 429 with and without Retry-After, 500 and 503, in each API dialect, for the next N matching requests', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const added = await c.inspect('POST', '/faults', { body: { kind: 'status', status: 429, retryAfter: 7, method: 'GET', path: '/sc/v2/apps/*/users/*', times: 1 } });
    assert.equal(added.status, 201);
    const limited = await c.sunshine('GET', '/users/x');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers['retry-after'], '7');
    assert.equal(limited.body.errors[0].code, 'too_many_requests');
    assert.equal((await c.sunshine('GET', '/users/x')).status, 404, 'times: 1 fires once');
    await c.inspect('POST', '/faults', { body: { kind: 'status', status: 429, path: '/api/**', times: 1 } });
    const support = await c.support('GET', '/api/v2/users/1.json');
    assert.equal(support.status, 429);
    assert.equal(support.headers['retry-after'], undefined);
    assert.equal(support.body.error, 'APIRateLimitExceeded');
    for (const status of [500, 503]) {
      await c.inspect('POST', '/faults', { body: { kind: 'status', status, times: 2 } });
      assert.equal((await c.sunshine('GET', '/users/x')).status, status);
      assert.equal((await c.support('GET', '/api/v2/users/1.json')).status, status);
      assert.equal((await c.sunshine('GET', '/users/x')).status, 404);
    }
    assert.equal((await c.inspect('POST', '/faults', { body: { kind: 'status', status: 418 } })).status, 400);
    assert.equal((await c.inspect('POST', '/faults', { body: { kind: 'explode' } })).status, 400);
  });
});

test('faults: latency with jitter delays the answer; probability with a seed is deterministic', async () => {
  await withSandbox({}, async (sandbox, c) => {
    await c.inspect('POST', '/faults', { body: { kind: 'latency', latencyMs: 150, jitterMs: 20, times: 1 } });
    const started = Date.now();
    assert.equal((await c.sunshine('GET', '/users/x')).status, 404);
    assert.ok(Date.now() - started >= 145, 'held for about latencyMs (timer granularity allowed)');
    const pattern = async () => {
      await c.inspect('DELETE', '/faults');
      await c.inspect('POST', '/faults', { body: { kind: 'status', status: 503, probability: 0.5, seed: 1234, path: '/sc/v2/apps/*/users/*' } });
      const statuses = [];
      for (let i = 0; i < 24; i += 1) statuses.push((await c.sunshine('GET', '/users/x')).status);
      return statuses;
    };
    const first = await pattern();
    assert.deepEqual(await pattern(), first, 'the same seed gives the same sequence');
    assert.ok(first.includes(503) && first.includes(404), 'probability 0.5 mixes outcomes');
    assert.equal((await c.inspect('GET', '/faults')).body.faults[0].hits, first.filter((s) => s === 503).length);
  });
});

test('faults: a timeout holds the request past the client timeout; drop destroys the socket', async () => {
  await withSandbox({}, async (sandbox, c) => {
    await c.inspect('POST', '/faults', { body: { kind: 'timeout', holdMs: 5000, times: 1 } });
    await assert.rejects(c.sunshine('GET', '/users/x', { timeoutMs: 200 }), /timed out/);
    await c.inspect('POST', '/faults', { body: { kind: 'drop', times: 1 } });
    await assert.rejects(c.sunshine('GET', '/users/x'), /socket hang up|ECONNRESET/);
    assert.equal((await c.sunshine('GET', '/users/x')).status, 404);
    const log = (await c.inspect('GET', '/requests')).body.requests.map((r) => r.status);
    assert.deepEqual(log, ['held', 'dropped', 404]);
  });
});

test('faults: a lost response applies the effect, then drops the connection', async () => {
  await withSandbox({}, async (sandbox, c) => {
    await c.inspect('POST', '/faults', { body: { kind: 'lost_response', method: 'POST', path: '/sc/v2/apps/*/users', times: 1 } });
    await assert.rejects(c.sunshine('POST', '/users', { body: { externalId: 'lost' } }), /socket hang up|ECONNRESET/);
    assert.equal((await c.sunshine('GET', '/users/lost')).status, 200, 'the user was created');
    assert.equal((await c.sunshine('POST', '/users', { body: { externalId: 'lost' } })).status, 409, 'so a blind retry conflicts');
  });
});
