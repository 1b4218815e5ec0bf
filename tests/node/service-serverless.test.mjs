// The documented serverless examples, run as a platform would: an AWS Lambda function-URL event
// and a Vercel-style POST(Request), each followed by the scheduled drain, against the sandbox.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { core, fixture, serviceConfig, withSandbox, ticketFor } from './support/service-harness.mjs';

async function withExample(file, fn) {
  const sandbox = await withSandbox();
  const dir = mkdtempSync(path.join(tmpdir(), 'ph-fn-'));
  const config = serviceConfig(sandbox, { dataDir: path.join(dir, 'data') });
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  process.env.PHONE_HANDOFF_CONFIG = path.join(dir, 'config.json');
  // A fresh module instance per test (the query string), as a cold start would load it.
  const example = await import(`../../examples/${file}?${Date.now()}`);
  try { await fn({ example, sandbox, config }); } finally { delete process.env.PHONE_HANDOFF_CONFIG; await sandbox.close(); }
}

test('AWS Lambda example: a function-URL event is verified and stored (202), the scheduled drain delivers it', async () => {
  await withExample('aws-lambda.mjs', async ({ example, sandbox, config }) => {
    const body = fixture('retell/call-ended.json');
    const { headers } = core.sign('retell', body, config.sources.retell, Date.now());
    const event = {
      version: '2.0', rawPath: '/webhooks/retell', rawQueryString: '',
      headers: { 'content-type': 'application/json', host: 'abc.lambda-url.us-east-1.on.aws', ...headers },
      requestContext: { http: { method: 'POST' }, domainName: 'abc.lambda-url.us-east-1.on.aws' },
      body: body.toString('base64'), isBase64Encoded: true,
    };
    const res = await example.handler(event);
    assert.equal(res.statusCode, 202, Buffer.from(res.body, 'base64').toString());
    const callId = core.parse('retell', body).handoff.call_id;
    assert.equal(await ticketFor(sandbox, callId), null, 'nothing is delivered before the drain');
    assert.deepEqual(await example.drainHandler(), { delivered: 1 });
    const ticket = await ticketFor(sandbox, callId);
    assert.ok(ticket && ticket.tags.includes('opencx_channel_phone'));
    const bad = await example.handler({ ...event, headers: { ...event.headers, 'x-retell-signature': 'v=1,d=00' } });
    assert.equal(bad.statusCode, 401);
  });
});

test('Vercel-style example: POST(Request) stores and acknowledges; drain() delivers', async () => {
  await withExample('vercel.mjs', async ({ example, sandbox, config }) => {
    const body = fixture('bland/post-call.json');
    const { headers } = core.sign('bland', body, config.sources.bland, Date.now());
    const res = await example.POST(new Request('https://example.vercel.app/webhooks/bland', { method: 'POST', headers, body }));
    assert.equal(res.status, 202);
    const drained = await (await example.drain()).json();
    assert.equal(drained.delivered, 1);
    assert.ok(await ticketFor(sandbox, core.parse('bland', body).handoff.call_id));
  });
});
