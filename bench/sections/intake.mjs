// Intake (issue #8 §3): signed webhooks accepted durably per second, with the embedded store and
// with PostgreSQL. The service runs as a child process (its RSS is its own); a load generator posts
// a pool of distinct, correctly signed Vapi end-of-call reports (each a new call, so every request
// takes the "new handoff" path: verify, parse, one statement that inserts the handoff and its
// delivery). After the run the stored rows of the measured calls are counted: one handoff and one
// delivery per accepted webhook, or the section says so.
//
// The load generator is wrk (Debian's `wrk`: C, one event loop, a fraction of autocannon's CPU per
// request; bench/wrk/) when it is installed, autocannon (Node, in this process) otherwise; a full
// run measures both side by side when it can. PH_BENCH_GENERATOR=wrk|autocannon|both chooses.
//
// Besides the rate, the CPU time per accepted webhook of the service, of the PostgreSQL server (with
// the embedded store the database runs inside the service) and of the load generator: all three
// share the machine's cores, so the rate is theirs together; the service's and database's CPU per
// webhook says what they could do with the cores to themselves.
//
// The delivery workers are OFF during the measurement: intake is what is measured, and with a
// Zendesk 50 ms away a worker delivers a handoff in ~0.5 s, so at thousands of webhooks per second
// the queue only grows and the workers' share of the CPU would say nothing about intake. A quiet
// worker costs little: an idle claim every `delivery.pollMs` per worker loop.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, readdirSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import { startServiceChild, sampleRss, cpuMs, rssBytes, postgresCpuMs } from '../service/child.mjs';
import { loadTemplate, distinctBody, checkDistinct, signedHeaders } from '../service/payloads.mjs';
import { serviceConfig } from '../../tests/node/support/service-harness.mjs';
import { load, round } from '../service/stats.mjs';
import { findWrk, writeRequests, runWrk } from '../wrk/wrk.mjs';

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

// Copy `index` of the template as a signed request: its own call id, signed by the core now.
function signedRequest(template, config, tag, now) {
  return (index) => {
    const { text } = distinctBody(template, index, { tag });
    return { body: text, headers: signedHeaders(template.source, text, config.sources[template.source], now) };
  };
}

function autocannon(options) {
  const run = require('autocannon');
  return new Promise((resolve, reject) => {
    run(options, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

// autocannon posts `count` copies, each once; its CPU is this process's.
async function postWithAutocannon(url, count, request, connections) {
  const pool = Array.from({ length: count }, (_, i) => request(i));
  let next = 0;
  const cpuBefore = process.cpuUsage();
  const result = await autocannon({ url, connections, amount: pool.length,
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, ...pool[next++ % pool.length] }) }] });
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: result.requests.total, non2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
    seconds: result.duration, exhausted: true,
    latency_ms: { p50: result.latency.p50, p90: result.latency.p90, p99: result.latency.p99, max: result.latency.max },
    cpu_ms: (cpu.user + cpu.system) / 1000,
  };
}

// wrk posts up to `count` copies, each once, for at most `seconds` (the requests are written to a
// file first, outside the measurement); its CPU is its own process's, read by its script.
async function postWithWrk(url, count, request, connections, seconds) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ph-bench-wrk-'));
  try {
    const file = path.join(dir, 'requests');
    const target = new URL(url);
    writeRequests(file, url, count, (i) => ({ method: 'POST', path: target.pathname, ...request(i) }));
    const r = await runWrk({ url: target.origin, file, connections, seconds });
    return {
      requests: r.sent, non2xx: r.errors.status, errors: r.errors.connect + r.errors.read + r.errors.write, timeouts: r.errors.timeout,
      seconds: r.seconds, exhausted: r.exhausted, latency_ms: r.latency_ms, cpu_ms: r.cpu_ms,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// CPU time (ms) of each thread of a process, by thread id, from /proc (Linux); {} elsewhere. The
// embedded store runs PostgreSQL in a thread of its own: no thread can use more than one core.
function threadCpuMs(pid) {
  const threads = {};
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) threads[tid] = cpuMs(`${pid}/task/${tid}`) || 0;
  } catch { /* not Linux, or the process ended */ }
  return threads;
}

async function acceptedTotal(url) {
  const text = await (await fetch(`${url}/metrics`)).text();
  let total = 0;
  for (const m of text.matchAll(/^intake_accepted_total\{[^}]*\} (\d+)/gm)) total += Number(m[1]);
  return total;
}

// The rows the measured calls left (call ids ending in -<tag><n>): handoffs, deliveries, and the
// span of their acceptance times (ms), which times a run that used its whole pool before wrk's -d.
const STORED_SQL = `select (select count(*)::int from handoffs where call_id ~ $1) as handoffs,
  count(*)::int as deliveries, min(received_at) as first_at, max(received_at) as last_at
  from deliveries where call_id ~ $1 and status = 'accepted'`;

async function storedRows({ databaseUrl, dataDir }, tag) {
  const pattern = `-${tag}[0-9]+$`;
  if (databaseUrl) {
    const { Client } = require('pg');
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try { return normaliseRows((await client.query(STORED_SQL, [pattern])).rows[0]); } finally { await client.end(); }
  }
  // The embedded store has one user at a time: it is opened here after the service has stopped.
  const { openStore } = require('../../node/service/store.js');
  const store = await openStore({ dataDir });
  try { return normaliseRows((await store.query(STORED_SQL, [pattern]))[0]); } finally { await store.close(); }
}

const normaliseRows = (row) => ({ handoffs: Number(row.handoffs), deliveries: Number(row.deliveries), first_at: Number(row.first_at), last_at: Number(row.last_at) });

async function measureStore(label, { databaseUrl, requests, connections, tag, generator, seconds }) {
  const config = { ...serviceConfig(NO_ZENDESK), ...(databaseUrl ? { databaseUrl } : {}), startWorkers: false };
  const template = loadTemplate(FIXTURE);
  checkDistinct(template);
  const runTag = `${tag}${generator === 'wrk' ? 'k' : 'a'}`;
  // The embedded store is measured as a service runs after its first start: the first start also
  // creates the database (PGlite's initdb); that start's RSS is reported on its own.
  let firstStartRss = null;
  const dataDir = databaseUrl ? null : mkdtempSync(path.join(tmpdir(), 'ph-bench-data-'));
  if (dataDir) {
    config.dataDir = path.join(dataDir, 'store');
    const first = await startServiceChild(config);
    firstStartRss = rssBytes(first.pid);
    await first.stop();
  }
  const service = await startServiceChild(config);
  let stopped = false;
  try {
    const url = `${service.url}/webhooks/${template.source}`;
    const now = Date.now();
    // Warm-up: a few hundred requests (JIT, connection pools, the store's first pages), not counted;
    // autocannon posts an exact count, whichever generator is measured.
    const warmCount = Math.min(300, Math.ceil(requests / 5));
    await postWithAutocannon(url, warmCount, signedRequest(template, config, `${runTag}x`, now), connections);
    const before = await acceptedTotal(service.url);
    const memory = sampleRss(service.pid);
    const databasePort = databaseUrl ? new URL(databaseUrl).port : null;
    const cpuBefore = { service: cpuMs(service.pid), threads: threadCpuMs(service.pid), database: databasePort && postgresCpuMs(databasePort) };
    const request = signedRequest(template, config, runTag, now);
    const result = generator === 'wrk'
      ? await postWithWrk(url, requests, request, connections, seconds)
      : await postWithAutocannon(url, requests, request, connections);
    const rss = memory.stop();
    const cpu = cpuMs(service.pid) - cpuBefore.service;
    const threadsAfter = threadCpuMs(service.pid);
    const busiestThread = Math.max(0, ...Object.entries(threadsAfter).map(([tid, ms]) => ms - (cpuBefore.threads[tid] || 0)));
    const databaseAfter = databasePort ? postgresCpuMs(databasePort) : null;
    const databaseCpu = databaseAfter !== null && cpuBefore.database !== null ? databaseAfter - cpuBefore.database : null;
    const accepted = (await acceptedTotal(service.url)) - before;
    await service.stop();
    stopped = true;
    const stored = await storedRows({ databaseUrl, dataDir: config.dataDir }, runTag);
    // A wrk run that used its whole pool before -d ended is timed by the stored acceptance times.
    const elapsedSeconds = generator === 'wrk' && result.exhausted && stored.deliveries > 1
      ? Math.max((stored.last_at - stored.first_at) / 1000, 0.001) : result.seconds;
    const perWebhook = (ms) => (Number.isFinite(ms) && accepted ? round(ms / accepted, 2) : null);
    // The service, the database and the generator share the machine's cores, so the rate measures
    // all three. CPU per webhook does not depend on the neighbours, and says what the service (and
    // its database) could accept with the cores to themselves: cores × 1000 ms ÷ their CPU per webhook.
    // A thread uses one core at most: the service's busiest thread (its JavaScript, or the embedded
    // store's PostgreSQL) bounds the rate as well.
    const serviceCpu = perWebhook(cpu);
    const storeCpu = databaseCpu === null ? serviceCpu : perWebhook(cpu + databaseCpu);
    const busiestCpu = perWebhook(busiestThread);
    const cpuBound = storeCpu ? Math.min((CORES * 1000) / storeCpu, busiestCpu ? 1000 / busiestCpu : Infinity) : null;
    return {
      store: label, generator, body_bytes: template.bytes, requests: result.requests, connections,
      accepted, non_2xx: result.non2xx, errors: result.errors, timeouts: result.timeouts,
      stored_handoffs: stored.handoffs, stored_deliveries: stored.deliveries,
      accepted_per_second: round(accepted / elapsedSeconds, 0), seconds: round(elapsedSeconds, 2),
      latency_ms: { p50: result.latency_ms.p50, p90: result.latency_ms.p90, p99: result.latency_ms.p99, max: result.latency_ms.max },
      // The service's own CPU per accepted webhook: less sensitive to the machine's load than rates.
      service_cpu_ms_per_request: serviceCpu,
      database_cpu_ms_per_request: databaseCpu === null ? null : perWebhook(databaseCpu),
      load_generator_cpu_ms_per_request: perWebhook(result.cpu_ms),
      busiest_thread_cpu_ms_per_request: busiestCpu,
      per_second_with_cores_to_itself: cpuBound ? round(cpuBound, 0) : null,
      rss_peak_mb: rss.peak === null ? null : round(rss.peak / 2 ** 20, 1),
      ...(firstStartRss ? { rss_first_start_mb: round(firstStartRss / 2 ** 20, 1) } : {}),
    };
  } finally {
    if (!stopped) await service.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  }
}

// Which generators run: PH_BENCH_GENERATOR (wrk | autocannon | both), else wrk when installed (and
// autocannon beside it in a full run, for comparison), else autocannon.
function generators(quick) {
  const wanted = process.env.PH_BENCH_GENERATOR;
  const wrk = findWrk();
  if (wanted === 'autocannon') return { list: ['autocannon'], note: null };
  if (!wrk) {
    return { list: ['autocannon'], note: `wrk is not installed (apt-get install wrk): autocannon${wanted && wanted !== 'autocannon' ? ` instead of ${wanted}` : ''}, whose CPU per request is several times wrk's` };
  }
  if (wanted === 'wrk' || (quick && wanted !== 'both')) return { list: ['wrk'], note: null };
  return { list: ['wrk', 'autocannon'], note: null };
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
  // wrk runs for at most this long (or until its pool of requests is used up).
  const seconds = options.intakeSeconds ?? (quick ? 3 : 15);
  const { list, note } = generators(quick);
  const loadBefore = load();
  const results = [];
  for (const generator of list) {
    const settings = { requests, connections, generator, seconds };
    results.push(await measureStore('embedded (PGlite)', { ...settings, tag: 'p' }));
    const pg = await withPostgres((databaseUrl) => measureStore('PostgreSQL', { ...settings, databaseUrl, tag: 'q' }));
    results.push(pg.unavailable ? { store: 'PostgreSQL', generator, unavailable: pg.unavailable } : pg);
  }
  const machineLoad = { before: loadBefore, after: load() };

  if (note) out.write(`  ${note}\n`);
  out.write(`  ${requests} distinct signed ${FIXTURE} bodies per store and generator (wrk: at most ${seconds} s), ${connections} connections, workers off; load ${machineLoad.before} → ${machineLoad.after}\n`);
  out.write(`  ${'store'.padEnd(18)} ${'generator'.padEnd(10)} ${'accepted/s'.padStart(10)} ${'p50'.padStart(6)} ${'p99'.padStart(6)} ${'max'.padStart(6)}  ${'RSS peak'.padStart(9)}  CPU/webhook: service, database, generator  non-2xx  stored (handoffs/deliveries)\n`);
  for (const r of results) {
    if (r.unavailable) { out.write(`  ${r.store.padEnd(18)} ${r.generator.padEnd(10)} unavailable: ${r.unavailable}\n`); continue; }
    const database = r.database_cpu_ms_per_request === null ? '(inside)' : `${r.database_cpu_ms_per_request} ms`;
    out.write(`  ${r.store.padEnd(18)} ${r.generator.padEnd(10)} ${String(r.accepted_per_second).padStart(10)} ${`${r.latency_ms.p50}`.padStart(4)} ms ${`${r.latency_ms.p99}`.padStart(4)} ms ${`${r.latency_ms.max}`.padStart(4)} ms  ${`${r.rss_peak_mb} MB`.padStart(9)}  ${r.service_cpu_ms_per_request} ms, ${database}, ${r.load_generator_cpu_ms_per_request} ms  ${r.non_2xx + r.errors}  ${r.stored_handoffs}/${r.stored_deliveries}\n`);
  }
  for (const r of results.filter((x) => !x.unavailable && (x.stored_handoffs !== x.accepted || x.stored_deliveries !== x.accepted))) {
    out.write(`  ${r.store} (${r.generator}): ${r.accepted} accepted but ${r.stored_handoffs} handoffs and ${r.stored_deliveries} deliveries stored for the measured calls\n`);
  }
  for (const r of results.filter((x) => x.per_second_with_cores_to_itself)) {
    out.write(`  ${r.store} (${r.generator}): with the ${CORES} cores to the service and its database (the generator elsewhere), CPU allows ~${r.per_second_with_cores_to_itself}/s (busiest service thread ${r.busiest_thread_cpu_ms_per_request} ms per webhook)\n`);
  }
  for (const r of results.filter((x) => x.rss_first_start_mb)) {
    out.write(`  ${r.store} (${r.generator}): measured after a restart; the first start (which creates the database) leaves ${r.rss_first_start_mb} MB RSS\n`);
  }
  // The verdicts are the first generator's (wrk when installed); the others are for comparison.
  const verdicts = [];
  for (const r of results.filter((x) => x.generator === list[0])) {
    if (r.unavailable) continue;
    const durable = r.non_2xx === 0 && r.stored_handoffs === r.accepted && r.stored_deliveries === r.accepted;
    verdicts.push({ case: `${r.store} accepted/s (${r.generator})`, measured: `${r.accepted_per_second}/s`, target: `≥ ${TARGET.perSecond}/s`, met: r.accepted_per_second >= TARGET.perSecond && durable });
    verdicts.push({ case: `${r.store} p99 (${r.generator})`, measured: `${r.latency_ms.p99} ms (p50 ${r.latency_ms.p50} ms)`, target: `≤ ${TARGET.p99Ms} ms`, met: r.latency_ms.p99 <= TARGET.p99Ms });
    verdicts.push({ case: `${r.store} service RSS (${r.generator})`, measured: `${r.rss_peak_mb} MB`, target: `≤ ${TARGET.rssMb} MB`, met: r.rss_peak_mb !== null && r.rss_peak_mb <= TARGET.rssMb });
  }
  const stores = results.filter((x) => x.generator === list[0]);
  const compared = results.filter((x) => x.generator !== list[0]);
  return { results: { fixture: FIXTURE, workers: 'off', generator: list[0], ...(note ? { generator_note: note } : {}), machine_load: machineLoad, stores, ...(compared.length ? { compared } : {}) }, verdicts };
}
