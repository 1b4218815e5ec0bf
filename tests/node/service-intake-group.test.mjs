// Group commit in intake: deliveries that arrive together share one statement (the new calls'
// handoffs and delivery rows), on PGlite and on PostgreSQL. Each must still get its own delivery
// row (its id, its call, its exact bytes), exactly one handoff per call, and its own answer:
// created, or duplicate for a repeat in the same group or a later one.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { core, fixture, serviceConfig, postSigned } from './support/service-harness.mjs';
import { startPostgres } from './support/postgres.mjs';

const require = createRequire(import.meta.url);
const { startService } = require('../../node/service/index.js');

// No worker runs, so Zendesk is never called: well-formed credentials are enough.
const NO_ZENDESK = { url: 'http://127.0.0.1:9', credentials: { appId: 'app', keyId: 'app_key', secret: 's', supportEmail: 'a@example.com', supportToken: 't', webhookSecret: 'w' } };

// The same checks on both stores: each runs the group's new calls as one statement.
async function withService(store, fn) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ph-intake-group-'));
  const postgres = store === 'postgres' ? await startPostgres() : null;
  const config = serviceConfig(NO_ZENDESK, postgres ? { databaseUrl: postgres.url } : { dataDir });
  const service = await startService({ overrides: config, startWorkers: false });
  try {
    await fn(service, config);
  } finally {
    await service.close();
    if (postgres) await postgres.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function distinctAndRepeated(service, config) {
  const template = fixture('vapi/end-of-call-report.json').toString();
  const callId = core.parse('vapi', template).handoff.call_id;
  const bodies = Array.from({ length: 24 }, (_, i) => Buffer.from(template.split(callId).join(`${callId}-g${i}`)));
  // Every fourth call is posted twice in the same burst.
  const posts = [...bodies, ...bodies.filter((_, i) => i % 4 === 0)];
  const answers = await Promise.all(posts.map((body) => postSigned(service.url, 'vapi', body, config)));
  for (const a of answers) assert.equal(a.status, 202, JSON.stringify(a.body));

  const ids = answers.map((a) => a.body.deliveryId);
  assert.equal(new Set(ids).size, posts.length, 'one delivery row per request');
  for (const [i, a] of answers.entries()) {
    const [row] = await service.store.query('select call_id, status, body from deliveries where id = $1', [a.body.deliveryId]);
    assert.equal(row.call_id, a.body.callId, `delivery ${a.body.deliveryId} belongs to its own call`);
    assert.equal(row.status, 'accepted');
    assert.ok(Buffer.from(row.body).equals(posts[i]), 'the raw body is kept byte for byte');
  }
  for (const [i, body] of bodies.entries()) {
    const id = core.parse('vapi', body).handoff.call_id;
    const mine = answers.filter((a) => a.body.callId === id);
    assert.equal(mine.length, i % 4 === 0 ? 2 : 1);
    assert.equal(mine.filter((a) => !a.body.duplicate).length, 1, `${id}: one creation, repeats are duplicates: ${JSON.stringify(mine.map((a) => a.body))}`);
  }
  const [{ n }] = await service.store.query(`select count(*)::int as n from handoffs where call_id like $1`, [`${callId}-g%`]);
  assert.equal(n, bodies.length, 'one handoff per call');

  // A second burst: every call exists now, so each copy is a duplicate with its own delivery row.
  const again = await Promise.all(bodies.slice(0, 8).map((body) => postSigned(service.url, 'vapi', body, config)));
  for (const a of again) {
    assert.equal(a.status, 202);
    assert.equal(a.body.duplicate, true, JSON.stringify(a.body));
    assert.ok(!ids.includes(a.body.deliveryId), 'a repeat gets a delivery row of its own');
  }
  const [{ rows }] = await service.store.query(`select count(*)::int as rows from deliveries where call_id like $1`, [`${callId}-g%`]);
  assert.equal(rows, posts.length + again.length, 'every delivery is stored');
}

for (const store of ['pglite', 'postgres']) {
  test(`concurrent deliveries, distinct and repeated, are each stored and answered as their own (${store})`, () => withService(store, distinctAndRepeated));
}
