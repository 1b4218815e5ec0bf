// Intake (issue #8 §3): signed webhooks accepted durably per second, with the embedded store and
// with PostgreSQL. The service runs as a child process (its RSS is its own); autocannon in this
// process posts a pool of distinct, correctly signed Vapi end-of-call reports (each a new call, so
// every request takes the "new handoff" path: verify, parse, one transaction with two inserts).
//
// Besides the rate, the CPU time per accepted webhook of the service, of the PostgreSQL server (with
// the embedded store the database runs inside the service) and of autocannon itself: all three share
// the machine's cores, so the rate is theirs together; the service's and database's CPU per webhook
// says what they could do with the cores to themselves.
//
// The delivery workers are OFF during the measurement: intake is what is measured, and with a
// Zendesk 50 ms away a worker delivers a handoff in ~0.5 s, so at thousands of webhooks per second
// the queue only grows and the workers' share of the CPU would say nothing about intake. A quiet
// worker costs little: an idle claim every `delivery.pollMs` per worker loop.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { startServiceChild, sampleRss, cpuMs, rssBytes, postgresCpuMs } from '../service/child.mjs';
import { loadTemplate, distinctBody, checkDistinct, signedHeaders } from '../service/payloads.mjs';
import { serviceConfig } from '../../tests/node/support/service-harness.mjs';
import { load, round } from '../service/stats.mjs';

const require = createRequire(import.meta.url);

export const name = 'intake';
export const describe = 'signed webhooks accepted durably per second (embedded store, PostgreSQL), p50/p99, service RSS';

const TARGET = { perSecond: 2000, p99Ms: 50, rssMb: 200 };
const CORES = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
const FIXTURE = 'vapi/end-of-call-report.json';

// The service never talks to Zendesk here (workers off): credentials only have to be well formed.
const NO_ZENDESK = {
  url: 'http://127.0.0.1:9',
  credentials: { appId: 'bench-app', keyId: 'app_bench', secret: 'bench-secret', supportEmail: 'bench@example.com', supportToken: 'bench-token', webhookSecret: 'bench-webhook' },
};

function signedPool(size, config, tag) {
  const template = loadTemplate(FIXTURE);
  checkDistinct(template);
  const now = Date.now();
  const pool = [];
  for (let i = 0; i < size; i++) {
    const { text } = distinctBody(template, i, { tag });
    pool.push({ body: text, headers: signedHeaders(template.source, text, config.sources[template.source], now) });
  }
  return { template, pool };
}

function autocannon(options) {
  const run = require('autocannon');
  return new Promise((resolve, reject) => {
    run(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

async function acceptedTotal(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const m of text.matchAll(/^intake_accepted_total\{[^}]*\} (\d+)/gm)) total += Number(m[1]);
  return total;
}

async function measureStore(label, { databaseUrl, requests, connections, tag }) {
  const config = { ...serviceConfig(NO_ZENDESK), ...(databaseUrl ? { databaseUrl } : {}), startWorkers: false };
  const { template, pool } = signedPool(requests, config, tag);
  // The embedded store is measured as a service runs after its first start: the first start also
  // creates the database (PGlite's initdb), whose memory stays in the process; that start's RSS is
  // reported on its own.
  let firstStartRss = null;
  const dataDir = databaseUrl ? null : mkdtempSync(path.join(tmpdir(), 'ph-bench-data-'));
  if (dataDir) {
    config.dataDir = path.join(dataDir, 'store');
    const first = await startServiceChild(config);
    firstStartRss = rssBytes(first.pid);
    await first.stop();
  }
  const service = await startServiceChild(config);
  try {
    // Warm-up: a few hundred requests (JIT, connection pools, the store's first pages), not counted.
    const warm = signedPool(Math.min(300, Math.ceil(requests / 5)), config, `${tag}w`).pool;
    let w = 0;
    await autocannon({ url: `${service.url}/webhooks/${template.source}`, connections, amount: warm.length,
      requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, ...warm[w++ % warm.length] }) }] });
    const before = await acceptedTotal(service.url);
    const memory = sampleRss(service.pid);
    const databasePort = databaseUrl ? new URL(databaseUrl).port : null;
    const cpuBefore = { service: cpuMs(service.pid), database: databasePort && postgresCpuMs(databasePort), generator: process.cpuUsage() };
    let next = 0;
    const result = await autocannon({
      url: `${service.url}/webhooks/${template.source}`, connections, amount: pool.length,
      requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, ...pool[next++ % pool.length] }) }],
    });
    const rss = memory.stop();
    const cpu = cpuMs(service.pid) - cpuBefore.service;
    const databaseAfter = databasePort ? postgresCpuMs(databasePort) : null;
    const databaseCpu = databaseAfter !== null && cpuBefore.database !== null ? databaseAfter - cpuBefore.database : null;
    const generator = process.cpuUsage(cpuBefore.generator);
    const accepted = (await acceptedTotal(service.url)) - before;
    const seconds = result.duration;
    const perWebhook = (ms) => (Number.isFinite(ms) && accepted ? round(ms / accepted, 2) : null);
    // The service, the database and autocannon share the machine's cores, so the rate measures all
    // three. CPU per webhook does not depend on the neighbours, and says what the service (and its
    // database) could accept with the cores to themselves: cores × 1000 ms ÷ their CPU per webhook.
    const serviceCpu = perWebhook(cpu);
    const storeCpu = databaseCpu === null ? serviceCpu : perWebhook(cpu + databaseCpu);
    return {
      store: label, body_bytes: template.bytes, requests: result.requests.total, connections,
      accepted, non_2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
      accepted_per_second: round(accepted / seconds, 0), seconds: round(seconds, 2),
      latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
      // The service's own CPU per accepted webhook: less sensitive to the machine's load than rates.
      service_cpu_ms_per_request: serviceCpu,
      database_cpu_ms_per_request: databaseCpu === null ? null : perWebhook(databaseCpu),
      load_generator_cpu_ms_per_request: perWebhook((generator.user + generator.system) / 1000),
      per_second_with_cores_to_itself: storeCpu ? round((CORES * 1000) / storeCpu, 0) : null,
      rss_peak_mb: rss.peak === null ? null : round(rss.peak / 2 ** 20, 1),
      ...(firstStartRss ? { rss_first_start_mb: round(firstStartRss / 2 ** 20, 1) } : {}),
    };
  } finally {
    await service.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

// A private PostgreSQL (tests/node/support/postgres.mjs) with fsync turned back on: "durably".
async function withPostgres(fn) {
  let postgres;
  try {
    const { startPostgres } = await import('../../tests/node/support/postgres.mjs');
    postgres = await startPostgres();
  } catch (error) {
    return { unavailable: String(error.message || error).split('\n')[0] };
  }
  try {
    const { Client } = require('pg');
    const client = new Client({ connectionString: postgres.url });
    await client.connect();
    await client.query('alter system set fsync = on');
    await client.query('select pg_reload_conf()');
    await client.end();
    return await fn(postgres.url);
  } finally {
    await postgres.stop();
  }
}

export async function run(options, out) {
  const quick = Boolean(options.quick);
  const requests = options.intakeRequests ?? (quick ? 1000 : 20_000);
  const connections = options.intakeConnections ?? 16;
  const loadBefore = load();
  const results = [];
  results.push(await measureStore('embedded (PGlite)', { requests, connections, tag: 'p' }));
  const pg = await withPostgres((databaseUrl) => measureStore('PostgreSQL', { databaseUrl, requests, connections, tag: 'q' }));
  results.push(pg.unavailable ? { store: 'PostgreSQL', unavailable: pg.unavailable } : pg);
  const machineLoad = { before: loadBefore, after: load() };

  out.write(`  ${requests} distinct signed ${FIXTURE} bodies per store, ${connections} connections, workers off; load ${machineLoad.before} → ${machineLoad.after}\n`);
  out.write(`  ${'store'.padEnd(18)} ${'accepted/s'.padStart(10)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} ${'max'.padStart(6)}  ${'RSS peak'.padStart(9)}  CPU/request: service, database, autocannon  non-2xx\n`);
  for (const r of results) {
    if (r.unavailable) { out.write(`  ${r.store.padEnd(18)} unavailable: ${r.unavailable}\n`); continue; }
    const database = r.database_cpu_ms_per_request === null ? '(inside)' : `${r.database_cpu_ms_per_request} ms`;
    out.write(`  ${r.store.padEnd(18)} ${String(r.accepted_per_second).padStart(10)} ${`${r.latency_ms.p50}`.padStart(4)} ms ${`${r.latency_ms.p99}`.padStart(4)} ms ${`${r.latency_ms.max}`.padStart(4)} ms  ${`${r.rss_peak_mb} MB`.padStart(9)}  ${r.service_cpu_ms_per_request} ms, ${database}, ${r.load_generator_cpu_ms_per_request} ms  ${r.non_2xx + r.errors}\n`);
  }
  for (const r of results.filter((x) => x.per_second_with_cores_to_itself)) {
    out.write(`  ${r.store}: with the ${CORES} cores to the service and its database (autocannon elsewhere), CPU allows ~${r.per_second_with_cores_to_itself}/s\n`);
  }
  for (const r of results.filter((x) => x.rss_first_start_mb)) {
    out.write(`  ${r.store}: measured after a restart; the first start (which creates the database) leaves ${r.rss_first_start_mb} MB RSS\n`);
  }
  const verdicts = [];
  for (const r of results) {
    if (r.unavailable) continue;
    verdicts.push({ case: `${r.store} accepted/s`, measured: `${r.accepted_per_second}/s`, target: `≥ ${TARGET.perSecond}/s`, met: r.accepted_per_second >= TARGET.perSecond && r.non_2xx === 0 });
    verdicts.push({ case: `${r.store} p99`, measured: `${r.latency_ms.p99} ms (p50 ${r.latency_ms.p50} ms)`, target: `≤ ${TARGET.p99Ms} ms`, met: r.latency_ms.p99 <= TARGET.p99Ms });
    verdicts.push({ case: `${r.store} service RSS`, measured: `${r.rss_peak_mb} MB`, target: `≤ ${TARGET.rssMb} MB`, met: r.rss_peak_mb !== null && r.rss_peak_mb <= TARGET.rssMb });
  }
  return { results: { fixture: FIXTURE, workers: 'off', machine_load: machineLoad, stores: results }, verdicts };
}
