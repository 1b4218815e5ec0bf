// Schema migrations on both stores: a database made with the previous schema (migration 1 only)
// and holding rows is opened by the current code, which applies the rest on start. Its rows read
// back unchanged; new large bodies and handoffs are stored uncompressed (migration 2), the old ones
// stay as they were; opening again applies nothing twice.
import test from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { startPostgres } from './support/postgres.mjs';

const require = createRequire(import.meta.url);
const { openStore } = require('../../node/service/store.js');
const migrations = require('../../node/service/migrations.js');

const PREVIOUS = migrations.filter((m) => m.version === 1);
const LATEST = Math.max(...migrations.map((m) => m.version));

// A body well past TOAST's ~2 KB threshold that pglz compresses: what compression would take.
const bigBody = (tag) => Buffer.from(JSON.stringify({ message: { call: { id: tag }, transcript: 'AI: hello, how can I help?\n'.repeat(400) } }));
const bigHandoff = (tag) => JSON.stringify({ version: 1, source: 'vapi', call_id: tag, transcript: Array.from({ length: 200 }, (_, i) => ({ speaker: 'ai', text: `turn ${i}: hello, how can I help?` })) });

async function insertCall(store, tag) {
  await store.query(
    `insert into deliveries (source, received_at, status, http_status, call_id, headers, body)
     values ('vapi', 1, 'accepted', 202, $1, '{}'::jsonb, $2)`, [tag, bigBody(tag)]);
  await store.query(
    `insert into handoffs (source, call_id, handoff, state, next_attempt_at, received_at, updated_at)
     values ('vapi', $1, $2::jsonb, 'queued', 1, 1, 1)`, [tag, bigHandoff(tag)]);
}

// How each call's body and handoff are stored: the compression method, or null when uncompressed.
async function storedAs(store, tag) {
  const [row] = await store.query(
    `select d.body, pg_column_compression(d.body) as body_compression, h.handoff, pg_column_compression(h.handoff) as handoff_compression
     from deliveries d join handoffs h using (source, call_id) where call_id = $1`, [tag]);
  return row;
}

async function fromPreviousSchema(open) {
  const old = await open(PREVIOUS);
  try {
    assert.deepEqual((await old.query('select version from schema_migrations')).map((r) => Number(r.version)), [1]);
    await insertCall(old, 'before');
    assert.equal((await storedAs(old, 'before')).body_compression, 'pglz', 'the previous schema compressed large bodies');
  } finally {
    await old.close();
  }

  const current = await open(migrations);
  try {
    const versions = (await current.query('select version from schema_migrations order by version')).map((r) => Number(r.version));
    assert.deepEqual(versions, migrations.map((m) => m.version));
    const storage = await current.query(
      `select c.relname as "table", a.attname as "column", a.attstorage as storage from pg_attribute a join pg_class c on c.oid = a.attrelid
       where (c.relname, a.attname) in (('deliveries', 'body'), ('handoffs', 'handoff')) order by 1`);
    assert.deepEqual(storage.map((r) => `${r.table}.${r.column}=${r.storage}`), ['deliveries.body=e', 'handoffs.handoff=e']);

    const before = await storedAs(current, 'before');
    assert.ok(Buffer.from(before.body).equals(bigBody('before')), 'a row of the previous schema reads back byte for byte');
    assert.deepEqual(before.handoff, JSON.parse(bigHandoff('before')));
    assert.equal(before.body_compression, 'pglz', 'rows already stored are not rewritten');

    await insertCall(current, 'after');
    const after = await storedAs(current, 'after');
    assert.ok(Buffer.from(after.body).equals(bigBody('after')));
    assert.deepEqual(after.handoff, JSON.parse(bigHandoff('after')));
    assert.equal(after.body_compression, null, 'a new body is stored uncompressed');
    assert.equal(after.handoff_compression, null, 'a new handoff is stored uncompressed');
  } finally {
    await current.close();
  }

  // Opening the migrated database again applies nothing twice.
  const again = await open(migrations);
  try {
    const [{ n, latest }] = await again.query('select count(*)::int as n, max(version)::int as latest from schema_migrations');
    assert.equal(Number(n), migrations.length);
    assert.equal(Number(latest), LATEST);
  } finally {
    await again.close();
  }
}

test('embedded store (PGlite): a database of the previous schema is migrated on open, its rows intact', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ph-migrate-'));
  try {
    await fromPreviousSchema((list) => openStore({ dataDir: path.join(dir, 'data'), migrations: list }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('PostgreSQL: a database of the previous schema is migrated on open, its rows intact', { timeout: 120_000 }, async () => {
  const postgres = await startPostgres();
  try {
    await fromPreviousSchema((list) => openStore({ databaseUrl: postgres.url, migrations: list }));
  } finally {
    await postgres.stop();
  }
});
