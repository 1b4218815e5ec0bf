'use strict';
// The embedded store's database thread (started by store.js): PGlite — PostgreSQL compiled to
// WebAssembly — runs here rather than on the service's thread, so that HTTP, signatures and parsing
// use one core while PostgreSQL uses the other. One statement at a time, in the order received:
// store.js keeps transactions from interleaving.
//
// Messages in: {id, sql, params} or {id, close: true}. Out: {ready: true} or {failed} once started,
// then {id, rows} or {id, error: {message, code, detail}} per statement.
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require('@electric-sql/pglite');

// PGlite's own bytea (type 17) conversion goes byte by byte in JS (about 50 ms for a 100 KB
// webhook body, the largest cost of intake); Buffer's hex codec does the same text in C++.
const BYTEA = 17;
const BYTEA_AS_HEX = {
  serializers: { [BYTEA]: (bytes) => (typeof bytes === 'string' ? bytes : `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`) },
  parsers: { [BYTEA]: (text) => Buffer.from(text.slice(2), 'hex') },
};

const db = new PGlite(workerData.dataDir, { startParams: [...PGlite.defaultStartParams, ...workerData.settings] });

db.waitReady.then(
  () => parentPort.postMessage({ ready: true }),
  (error) => parentPort.postMessage({ failed: error.message }),
);

parentPort.on('message', async ({ id, sql, params, close }) => {
  if (close) {
    await db.close().catch(() => {});
    parentPort.postMessage({ id, rows: [] });
    return;
  }
  try {
    const result = await db.query(sql, params, BYTEA_AS_HEX);
    parentPort.postMessage({ id, rows: result.rows });
  } catch (error) {
    parentPort.postMessage({ id, error: { message: error.message, code: error.code, detail: error.detail } });
  }
});
