'use strict';
// The durable store: one small SQL API over two drivers, an embedded PostgreSQL (PGlite, a data
// directory on disk, the default) and a PostgreSQL server (DATABASE_URL, for several replicas).
// Callers see only query(sql, params) -> rows and tx(fn), so every statement is written once.
const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const migrations = require('./migrations.js');

// Postgres advisory lock key so concurrent replicas never migrate at the same time.
const MIGRATION_LOCK = 4_242_001;

// PGlite's own bytea (type 17) conversion goes byte by byte in JS (about 50 ms for a 100 KB
// webhook body, the largest cost of intake); Buffer's hex codec does the same text in C++.
const BYTEA = 17;
const PGLITE_SHARED_BUFFERS = '16MB';
const BYTEA_AS_HEX = {
  serializers: { [BYTEA]: (bytes) => (typeof bytes === 'string' ? bytes : `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`) },
  parsers: { [BYTEA]: (text) => Buffer.from(text.slice(2), 'hex') },
};

// PostgreSQL's default 128 MB of shared buffers is most of the service's memory inside PGlite's
// WebAssembly heap (RSS ~300 MB at start); the queue's working set is small, and pages beyond the
// buffers stay in the OS's file cache. 16 MB brings a restarted service to ~170 MB.
const PGLITE_SETTINGS = ['-c', `shared_buffers=${PGLITE_SHARED_BUFFERS}`];

// Creating the database (PGlite's initdb) leaves ~500 MB in the process that ran it for as long as
// that process lives, so a service's very first start used to hold ~700 MB until restarted. A short
// child process creates it instead and takes that memory with it when it exits. If the child
// cannot run (no usable Node executable), PGlite creates the database in this process as before.
const CREATE_DATABASE = `const { PGlite } = require(process.argv[1]);
const db = new PGlite(process.argv[2], { startParams: [...PGlite.defaultStartParams, ...JSON.parse(process.argv[3])] });
db.waitReady.then(() => db.close()).catch((error) => { console.error(error.message); process.exit(1); });`;

function createPgliteDatabase(dataDir) {
  if (fs.existsSync(path.join(dataDir, 'PG_VERSION'))) return Promise.resolve();
  return new Promise((resolve) => {
    execFile(process.execPath, ['-e', CREATE_DATABASE, require.resolve('@electric-sql/pglite'), dataDir, JSON.stringify(PGLITE_SETTINGS)],
      { timeout: 120_000 }, () => resolve());
  });
}

// V8 compiles WebAssembly twice: quickly (Liftoff) for a start, then its optimising compiler
// (TurboFan) recompiles the functions that run hot, in background threads whose memory stays with
// the process. PostgreSQL is a large module: that second compilation held ~55 MB of the embedded
// service's RSS (idle ≈190 → ≈135 MB, under load ≈300 → ≈230 MB), and bought no measurable speed
// (the intake insert took 0.49–0.61 ms per row either way, three interleaved pairs). The flag is
// read when a module is compiled, so it is on only while PGlite starts (other WebAssembly compiled
// in that moment would be baseline-only too: slower, never wrong).
async function compiledBaselineOnly(compile) {
  const v8 = require('node:v8');
  v8.setFlagsFromString('--liftoff-only');
  try {
    return await compile();
  } finally {
    v8.setFlagsFromString('--no-liftoff-only');
  }
}

async function openPglite(dataDir) {
  const { PGlite } = await import('@electric-sql/pglite');
  fs.mkdirSync(path.dirname(path.resolve(dataDir)), { recursive: true });
  await createPgliteDatabase(path.resolve(dataDir));
  const db = await compiledBaselineOnly(() => {
    const pglite = new PGlite(dataDir, { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
    return pglite.waitReady.then(() => pglite);
  });
  // PGlite is one connection: serialise transactions so their statements never interleave.
  let chain = Promise.resolve();
  const serial = (fn) => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => {});
    return run;
  };
  return {
    kind: 'pglite',
    // query(sql, params, {name}): the name prepares a statement on PostgreSQL; PGlite has no use for it.
    query: (sql, params = []) => serial(() => db.query(sql, params, BYTEA_AS_HEX).then((r) => r.rows)),
    tx: (fn) => serial(() => db.transaction((t) => fn((sql, params = []) => t.query(sql, params, BYTEA_AS_HEX).then((r) => r.rows)))),
    close: () => db.close(),
  };
}

async function openPostgres(url) {
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: url, max: 8 });
  // bigint columns hold epoch milliseconds: safe as JS numbers.
  require('pg').types.setTypeParser(20, (v) => Number(v));
  return {
    kind: 'postgres',
    // A named statement is parsed and planned once per connection, then only bound and executed.
    query: (sql, params = [], { name } = {}) => pool.query(name ? { name, text: sql, values: params } : { text: sql, values: params }).then((r) => r.rows),
    tx: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn((sql, params = []) => client.query(sql, params).then((r) => r.rows));
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

// Applies the migrations not applied yet, in order, in one transaction (`list`: all of them, or a
// prefix for a test that starts from an older schema).
async function migrate(db, list = migrations) {
  await db.tx(async (q) => {
    await q('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await q('create table if not exists schema_migrations (version integer primary key, name text not null, applied_at bigint not null)');
    const done = new Set((await q('select version from schema_migrations')).map((r) => Number(r.version)));
    for (const m of list) {
      if (done.has(m.version)) continue;
      for (const statement of m.statements) await q(statement);
      await q('insert into schema_migrations (version, name, applied_at) values ($1, $2, $3)', [m.version, m.name, Date.now()]);
    }
  });
}

// openStore({ databaseUrl }) for PostgreSQL, else openStore({ dataDir }) for the embedded store;
// `migrations` as for migrate.
async function openStore({ databaseUrl, dataDir, migrations: list = migrations } = {}) {
  const db = databaseUrl ? await openPostgres(databaseUrl) : await openPglite(dataDir || path.resolve('.phone-handoff/data'));
  await migrate(db, list);
  return db;
}

module.exports = { openStore, migrate };
