// node-http.js: the Request a handler gets from node:http reads its body straight from the socket
// when read whole, converts it to a web stream only when `.body` is used, and can be read once;
// intake takes a body with a declared length whole and counts a chunked one against the limit.
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { core, fixture, serviceConfig } from './support/service-harness.mjs';

const require = createRequire(import.meta.url);
const { listen } = require('../../node/service/node-http.js');
const { startService } = require('../../node/service/index.js');

const NO_ZENDESK = { url: 'http://127.0.0.1:9', credentials: { appId: 'app', keyId: 'app_key', secret: 's', supportEmail: 'a@example.com', supportToken: 't', webhookSecret: 'w' } };

// POST `chunks` one write at a time; without a content-length header node:http sends them chunked.
function post(url, chunks, headers = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(parts).toString() }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

test('a request body is read whole, or as a web stream, once; the answer carries its length', async () => {
  const seen = [];
  const server = await listen({
    async fetch(request) {
      const how = new URL(request.url).searchParams.get('read');
      let text;
      if (how === 'stream') {
        const parts = [];
        for await (const part of request.body) parts.push(Buffer.from(part));
        text = Buffer.concat(parts).toString();
      } else {
        text = how === 'json' ? JSON.stringify(await request.json()) : await request.text();
      }
      const again = await request.text().then(() => 'read twice', (e) => e.constructor.name);
      let cloned;
      try { request.clone(); cloned = 'cloned'; } catch (e) { cloned = e.constructor.name; }
      seen.push({ how, text, again, used: request.bodyUsed, cloned, isRequest: request instanceof Request });
      return new Response(`got ${text.length}`, { status: 201, headers: { 'x-test': 'yes' } });
    },
  });
  try {
    const body = JSON.stringify({ a: 'é'.repeat(50_000) });
    for (const how of ['text', 'json', 'stream']) {
      const split = [body.slice(0, 1000), body.slice(1000)];
      const r = await post(`${server.url}/?read=${how}`, split, { 'content-type': 'application/json' });
      assert.equal(r.status, 201);
      assert.equal(r.text, `got ${body.length}`);
      assert.equal(r.headers['x-test'], 'yes');
      assert.equal(Number(r.headers['content-length']), Buffer.byteLength(r.text), 'one write with its length, not chunked');
    }
    assert.deepEqual(seen.map((s) => s.text === body), [true, true, true]);
    for (const s of seen) {
      assert.equal(s.again, 'TypeError', `${s.how}: a body can be read once`);
      assert.equal(s.used, true);
      assert.equal(s.cloned, 'TypeError');
      assert.equal(s.isRequest, true);
    }
  } finally {
    await server.close();
  }
});

test('intake: a chunked webhook (no content-length) is accepted, and refused with 413 past the limit', async () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ph-intake-http-'));
  const config = serviceConfig(NO_ZENDESK, { dataDir, limits: { maxBodyBytes: 20_000 } });
  const service = await startService({ overrides: config, startWorkers: false });
  try {
    const body = fixture('vapi/end-of-call-report.json');
    assert.ok(body.length < 20_000);
    const headers = { 'content-type': 'application/json', ...core.sign('vapi', body, config.sources.vapi, Date.now()).headers };
    const accepted = await post(`${service.url}/webhooks/vapi`, [body.subarray(0, 100), body.subarray(100)], headers);
    assert.equal(accepted.status, 202, accepted.text);
    const { deliveryId } = JSON.parse(accepted.text);
    const [row] = await service.store.query('select body from deliveries where id = $1', [deliveryId]);
    assert.ok(Buffer.from(row.body).equals(body), 'the chunked body is stored byte for byte');

    const large = Buffer.alloc(30_000, 0x20);
    const refused = await post(`${service.url}/webhooks/vapi`, [large.subarray(0, 15_000), large.subarray(15_000)], headers);
    assert.equal(refused.status, 413);
    assert.equal(JSON.parse(refused.text).error, 'payload_too_large');
  } finally {
    await service.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
