'use strict';
// Versioned schema migrations, applied in order on start. The same SQL runs on PGlite (embedded)
// and PostgreSQL. Times are integer milliseconds since the epoch (bigint): no time-zone arithmetic
// in SQL, and the worker's clock is the only clock.
module.exports = [
  {
    version: 1,
    name: 'deliveries, handoffs, sunshine events',
    // One statement per entry: prepared statements (both drivers) take one command each.
    statements: [
      `create table deliveries (
        id bigserial primary key,
        source text not null,
        received_at bigint not null,
        status text not null,          -- accepted | rejected
        http_status integer not null,
        call_id text,
        event_id text,
        headers jsonb not null,        -- secrets removed before storing
        body bytea not null,           -- the raw bytes, exactly as received
        errors jsonb
      )`,
      'create index deliveries_call on deliveries (source, call_id)',
      `create table handoffs (
        source text not null,
        call_id text not null,
        handoff jsonb not null,        -- the merged canonical handoff
        progress jsonb not null default '{}'::jsonb,
        state text not null,           -- queued | delivering | retrying | delivered | dead
        revision integer not null default 1,
        delivered_revision integer not null default 0,
        attempts integer not null default 0,
        first_attempt_at bigint,
        next_attempt_at bigint not null,
        lease_owner text,
        lease_until bigint,
        last_error text,
        received_at bigint not null,
        updated_at bigint not null,
        visible_at bigint,
        primary key (source, call_id)
      )`,
      'create index handoffs_due on handoffs (state, next_attempt_at)',
      `create table sunshine_events (
        event_id text primary key,
        type text not null,
        received_at bigint not null,
        payload jsonb not null
      )`,
    ],
  },
  {
    version: 2,
    name: 'bodies and handoffs stored uncompressed',
    // A webhook body or handoff past ~2 KB was compressed (pglz) on every insert: about a fifth of
    // the embedded store's insert CPU, to save disk on rows the service writes once and reads
    // rarely. "external" keeps large values out of line (TOAST) but uncompressed. Only new rows
    // are affected: rows already stored stay compressed and read as before.
    statements: [
      'alter table deliveries alter column body set storage external',
      'alter table handoffs alter column handoff set storage external',
    ],
  },
];
