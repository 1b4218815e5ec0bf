// The browser page in headless Chromium: the ticket list and the conversation render, the sidebar
// app iframe talks to the ZAF host emulation (handshake, get, invoke resize), and without a built
// app a placeholder says so. Saves a screenshot under tests/artifacts/ (not committed).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const { withSandbox } = require('../../node/sandbox/client.js');

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const artifacts = path.join(repoRoot, 'tests', 'artifacts');
const CHROMIUM = '/usr/bin/chromium';
// The real sidebar app, packaged with the core's sidebar build it ships (as the sidebar's own
// tests do).
const wasmDir = process.env.PH_WASM_WEB_DIR || path.join(repoRoot, 'build', 'wasm', 'dist', 'sidebar');
const coreBuilt = fs.existsSync(path.join(wasmDir, 'phone_handoff.wasm'));

// A stand-in sidebar app speaking the ZAF SDK's wire protocol (JSON strings by postMessage).
const PROBE_APP = `<!doctype html><html><body><pre id="out">waiting</pre><script>
const params = new URLSearchParams(location.search);
const origin = params.get('origin');
const appGuid = params.get('app_guid');
let nextId = 0;
const pending = new Map();
const send = (msg) => window.parent.postMessage(JSON.stringify({ ...msg, appGuid, instanceGuid: appGuid }), origin);
const request = (name, params) => new Promise((resolve) => { const id = ++nextId; pending.set(id, resolve); send({ id, request: name, params }); });
window.addEventListener('message', async (event) => {
  if (event.origin !== origin || event.source !== window.parent) return;
  const data = JSON.parse(event.data);
  if (data.id && pending.has(data.id)) { pending.get(data.id)(data); pending.delete(data.id); return; }
  if (data.key === 'zaf.ticket.conversation.changed') { document.body.dataset.changed = String(data.message.length); return; }
  if (data.key === 'zaf.app.registered') {
    send({ key: 'iframe.on:ticket.conversation.changed', message: { subscriberCount: 1 } });
    const got = await request('get', ['ticket.id', 'ticket.tags', 'ticket.requester', 'ticket.customField:custom_field_360001', 'ticket.conversation', 'currentUser', 'ticket.nonsense']);
    const resized = await request('invoke', { resize: [{ height: '240px' }] });
    const result = { registered: data.message, got: got.result, resized: resized.result };
    document.getElementById('out').textContent = 'ready';
    document.body.dataset.result = JSON.stringify(result);
  }
});
send({ key: 'iframe.handshake', message: { version: '2.0' } });
</script></body></html>`;

async function handoff(c) {
  await c.sunshine('POST', '/users', { body: { externalId: 'phone:+15550009999', profile: { givenName: 'Ada', surname: 'Lovelace' } } });
  const conversation = (await c.sunshine('POST', '/conversations', { body: { type: 'personal', participants: [{ userExternalId: 'phone:+15550009999' }] } })).body.conversation;
  const post = (body) => c.sunshine('POST', `/conversations/${conversation.id}/messages`, { body });
  await c.sunshine('POST', `/conversations/${conversation.id}/passControl`, { body: { switchboardIntegration: 'phone-handoff' } });
  const first = await post({
    author: { type: 'business', displayName: 'AI agent' }, destination: { integrationType: 'none' }, metadata: { phone_handoff_kind: 'transcript' },
    content: { type: 'text', text: '[00:01] AI agent: Thanks for calling, how can I help?\n[00:05] Caller: My order 1234 never arrived.\n[00:12] AI agent: Let me get you a human.' },
  });
  await post({ author: { type: 'user', userExternalId: 'phone:+15550009999' }, content: { type: 'text', text: 'Thank you!' } });
  await post({ author: { type: 'business', displayName: 'AI agent' }, destination: { integrationType: 'none' }, metadata: { phone_handoff_kind: 'summary' }, content: { type: 'text', text: 'Summary: order 1234 never arrived; caller wants a refund.' } });
  await c.sunshine('POST', `/conversations/${conversation.id}/passControl`, {
    body: { switchboardIntegration: 'zd-agentWorkspace', metadata: { first_message_id: first.body.messages[0].id, 'dataCapture.systemField.tags': 'opencx,ai_voice', 'dataCapture.ticketField.360001': 'sess-42' } },
  });
  return conversation.id;
}

async function withBrowser(body) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-ui-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1400, height: 900 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  try {
    return await body(await context.newPage());
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
}

test('the page lists tickets and renders the conversation; the sidebar app talks to the ZAF host', { timeout: 90000, skip: !fs.existsSync(CHROMIUM) && 'no /usr/bin/chromium' }, async () => {
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-ui-app-'));
  fs.mkdirSync(path.join(appDir, 'assets'));
  fs.writeFileSync(path.join(appDir, 'assets', 'iframe.html'), PROBE_APP);
  try {
    await withSandbox({ appDir, settings: { appSettings: { sessionIdFieldId: 360001 } } }, async (sandbox, c) => {
      const conversationId = await handoff(c);
      await withBrowser(async (page) => {
        const errors = [];
        page.on('pageerror', (err) => errors.push(err.message));
        await page.goto(`${sandbox.url}/sandbox/`);
        await page.waitForSelector('#ticket-list li[data-ticket-id]');
        await page.waitForSelector('#conversation .message');
        assert.equal(await page.locator('#ticket-list li').count(), 1);
        assert.match(await page.locator('#ticket-subject').textContent(), /Ada Lovelace/);
        assert.equal(await page.locator('#conversation .message').count(), 3);
        assert.deepEqual(await page.locator('#ticket-tags .tag').allTextContents(), ['opencx', 'ai_voice']);
        assert.deepEqual(await page.locator('#conversation .transcript .speaker').allTextContents(), ['AI agent', 'Caller', 'AI agent']);
        assert.equal(await page.locator('#conversation .message.summary').count(), 1);
        assert.equal(await page.locator('#conversation .message.end-user .bubble').textContent(), 'Thank you!');
        const frame = page.frameLocator('#app-frame');
        await frame.locator('body[data-result]').waitFor({ timeout: 15000 });
        const result = JSON.parse(await frame.locator('body').getAttribute('data-result'));
        const ticketId = Number(await page.locator('#ticket-list li').getAttribute('data-ticket-id'));
        assert.equal(result.registered.context.location, 'ticket_sidebar');
        assert.deepEqual(result.registered.metadata.settings, { sessionIdFieldId: 360001 });
        assert.equal(result.got['ticket.id'], ticketId);
        assert.deepEqual(result.got['ticket.tags'], ['opencx', 'ai_voice']);
        assert.equal(result.got['ticket.requester'].name, 'Ada Lovelace');
        assert.equal(result.got['ticket.customField:custom_field_360001'], 'sess-42');
        assert.equal(result.got['ticket.conversation'].length, 3);
        assert.equal(result.got.currentUser.role, 'admin');
        assert.ok(result.got.errors['ticket.nonsense'], 'an unknown path is reported per key');
        assert.equal(await page.locator('#app-frame').evaluate((f) => f.style.height), '240px');
        const html = await page.content();
        for (const secret of [sandbox.credentials.secret, sandbox.credentials.supportToken, sandbox.credentials.webhookSecret]) assert.ok(!html.includes(secret));
        fs.mkdirSync(artifacts, { recursive: true });
        await page.screenshot({ path: path.join(artifacts, 'sandbox-ui.png'), fullPage: true });
        // A new message reaches the app as a ticket.conversation.changed event.
        await c.sunshine('POST', `/conversations/${conversationId}/messages`, { body: { author: { type: 'user', userExternalId: 'phone:+15550009999' }, content: { type: 'text', text: 'Are you there?' } } });
        await frame.locator('body[data-changed="4"]').waitFor({ timeout: 15000 });
        assert.equal(await page.locator('#conversation .message').count(), 4);
        // The rep replies from the page: the reply lands in the conversation as an agent message.
        await page.fill('#reply-text', 'Hi Ada, I can help with the refund.');
        await page.click('#reply-form button');
        await page.waitForSelector('#conversation .message:nth-child(5)');
        assert.equal(await page.locator('#conversation .message').nth(4).locator('.bubble').textContent(), 'Hi Ada, I can help with the refund.');
        // Closing the ticket from the page hands control back.
        await page.click('#close-ticket');
        await page.waitForSelector('#ticket-status.closed');
        assert.deepEqual(errors, []);
      });
      const conversations = (await c.inspect('GET', '/conversations')).body.conversations;
      assert.equal(conversations[0].activeSwitchboardIntegration.name, 'phone-handoff');
    });
  } finally {
    fs.rmSync(appDir, { recursive: true, force: true });
  }
});

test('without a built app the apps panel shows a placeholder', { timeout: 60000, skip: !fs.existsSync(CHROMIUM) && 'no /usr/bin/chromium' }, async () => {
  const appDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-ui-noapp-'));
  try {
    await withSandbox({ appDir }, async (sandbox, c) => {
      await handoff(c);
      await withBrowser(async (page) => {
        await page.goto(`${sandbox.url}/sandbox/`);
        await page.waitForSelector('#app-placeholder');
        // A conversation Agent Workspace never saw is listed for the developer.
        await c.sunshine('POST', '/users', { body: { externalId: 'stuck' } });
        await c.sunshine('POST', '/conversations', { body: { type: 'personal', participants: [{ userExternalId: 'stuck' }], displayName: 'Stuck call' } });
        await page.waitForSelector('#untracked-list li', { timeout: 10000 });
        assert.match(await page.locator('#untracked-list li').textContent(), /Stuck call · 0 message\(s\) · active: zd-agentWorkspace/);
        assert.match(await page.locator('#app-placeholder').textContent(), /not built/);
        assert.equal(await page.locator('#app-frame').count(), 0);
      });
    });
  } finally {
    fs.rmSync(appDir, { recursive: true, force: true });
  }
});

test('the real phone-handoff sidebar app runs inside the sandbox page and shows the handed-off call', {
  timeout: 120000,
  skip: (!fs.existsSync(CHROMIUM) && 'no /usr/bin/chromium') || (!coreBuilt && `no browser core in ${wasmDir} (build phone_handoff_wasm_sidebar)`),
}, async () => {
  const { packageApp } = await import('../../web/scripts/package-app.mjs');
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-ui-real-app-'));
  try {
    const { dir } = packageApp({ wasmDir, outDir });
    await withSandbox({ appDir: dir }, async (sandbox, c) => {
      await handoff(c);
      await withBrowser(async (page) => {
        const errors = [];
        page.on('pageerror', (err) => errors.push(err.message));
        await page.goto(`${sandbox.url}/sandbox/`);
        const frame = page.frameLocator('#app-frame');
        await frame.locator('[data-role="turn"]').first().waitFor({ timeout: 30000 });
        assert.equal(await frame.locator('[data-role="turn"]').count(), 3);
        assert.match(await frame.locator('body').innerText(), /order 1234 never arrived/);
        fs.mkdirSync(artifacts, { recursive: true });
        await page.screenshot({ path: path.join(artifacts, 'sandbox-ui-real-app.png'), fullPage: true });
        assert.deepEqual(errors, []);
      });
    });
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }
});
