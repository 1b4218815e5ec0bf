// The runnable entry (node node/sandbox/main.js prints one JSON line), the loopback guard of the
// inspection API, and integration-scoped webhook configuration.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { withSandbox, request, basic } = require('../../node/sandbox/client.js');
const { isLoopback, sanitizeHeaders } = require('../../node/sandbox/server.js');

const mainJs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'node', 'sandbox', 'main.js');

test('main.js prints one JSON line with the URL and credentials, then serves until SIGTERM', { timeout: 20000 }, async () => {
  const child = spawn(process.execPath, [mainJs, '--port', '0', '--single-conversation'], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const line = await new Promise((resolve, reject) => {
      readline.createInterface({ input: child.stdout }).once('line', resolve);
      child.once('exit', (code) => reject(new Error(`exited with ${code}`)));
    });
    const { sandbox } = JSON.parse(line);
    assert.deepEqual(Object.keys(sandbox).sort(), ['appId', 'keyId', 'secret', 'supportEmail', 'supportToken', 'url', 'webhookSecret'].sort());
    assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(sandbox.keyId, /^app_/);
    const r = await request(sandbox.url, 'GET', `/sc/v2/apps/${sandbox.appId}/switchboards`, { headers: { Authorization: basic(sandbox.keyId, sandbox.secret) } });
    assert.equal(r.status, 200);
    const settings = await request(sandbox.url, 'GET', '/sandbox/api/settings');
    assert.equal(settings.body.settings.multiConversations, false, '--single-conversation turns multi-conversations off');
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    assert.equal(await exited, 0);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
});

test('main.js rejects unknown arguments with exit code 2', { timeout: 10000 }, async () => {
  const child = spawn(process.execPath, [mainJs, '--bogus'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const code = await new Promise((resolve) => child.once('exit', resolve));
  assert.equal(code, 2);
  assert.match(stderr, /unknown argument --bogus/);
});

test('the inspection API answers loopback clients only; logged headers lose every credential', () => {
  for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) assert.equal(isLoopback(address), true);
  for (const address of ['10.0.0.2', '192.168.1.5', '::ffff:10.0.0.2', undefined]) assert.equal(isLoopback(address), false);
  const clean = sanitizeHeaders({ authorization: 'Basic x', 'x-api-key': 'k', cookie: 'c', 'x-zendesk-token': 't', 'content-type': 'application/json' });
  assert.deepEqual(clean, { 'content-type': 'application/json' });
});

test('malformed requests get clean errors, never a 500', async () => {
  await withSandbox({}, async (sandbox, c) => {
    assert.equal((await c.sunshine('GET', '/users/%E0%A4%A')).status, 404);
    assert.equal((await c.sunshine('POST', '/users', { rawBody: '[1,2]', headers: { 'Content-Type': 'application/json' } })).status, 400);
    assert.equal((await c.sunshine('POST', '/conversations', { rawBody: 'null', headers: { 'Content-Type': 'application/json' } })).status, 400);
    assert.equal((await c.support('POST', '/api/v2/users.json', { rawBody: '{"user":', headers: { 'Content-Type': 'application/json' } })).status, 400);
    assert.equal((await c.inspect('POST', '/faults', { rawBody: '{', headers: { 'Content-Type': 'application/json' } })).status, 400);
    assert.equal((await c.inspect('POST', '/settings', { rawBody: 'null', headers: { 'Content-Type': 'application/json' } })).status, 200, 'an empty patch changes nothing');
    const statuses = (await c.inspect('GET', '/requests')).body.requests.map((r) => r.status);
    assert.ok(statuses.every((s) => s < 500), statuses.join(','));
  });
});

test('webhooks config: an int_ key sees only its own integration ("me"); app keys see all; bad bodies are 400', async () => {
  await withSandbox({}, async (sandbox, c) => {
    const asInt = { headers: { Authorization: c.integrationAuth } };
    const mine = await c.sunshine('GET', '/integrations/me/webhooks', asInt);
    assert.equal(mine.status, 200);
    assert.equal(mine.body.webhooks.length, 1);
    assert.equal(mine.body.webhooks[0].secret, sandbox.credentials.webhookSecret);
    const all = (await c.sunshine('GET', '/integrations')).body.integrations;
    const agentWorkspace = all.find((i) => i.type === 'zd:agentWorkspace');
    assert.equal((await c.sunshine('GET', `/integrations/${agentWorkspace.id}/webhooks`, asInt)).status, 403);
    assert.equal((await c.sunshine('GET', `/integrations/${agentWorkspace.id}/webhooks`)).status, 200);
    const created = await c.sunshine('POST', '/integrations/me/webhooks', { ...asInt, body: { target: 'https://example.invalid/hook', triggers: ['conversation:message'] } });
    assert.equal(created.status, 201);
    assert.equal(created.body.webhook.version, 'v2');
    assert.ok(created.body.webhook.secret);
    assert.equal((await c.sunshine('POST', '/integrations/me/webhooks', { ...asInt, body: { target: 'https://x.invalid', triggers: ['Conversation:Message'] } })).status, 400, 'triggers are case-sensitive');
    const updated = await c.sunshine('PATCH', `/integrations/me/webhooks/${created.body.webhook.id}`, { ...asInt, body: { includeFullUser: true } });
    assert.equal(updated.body.webhook.includeFullUser, true);
    assert.equal((await c.sunshine('DELETE', `/integrations/me/webhooks/${created.body.webhook.id}`, asInt)).status, 200);
    assert.equal((await c.sunshine('GET', `/integrations/me/webhooks/${created.body.webhook.id}`, asInt)).status, 404);
  });
});
