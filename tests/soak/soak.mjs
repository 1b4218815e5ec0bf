#!/usr/bin/env node
// The fault and crash soak (issue #8): N handoffs of every source and size, each delivered 2–3
// times (some at once, some later, Retell's update event too), through a real `phone-handoff
// serve` process (native backend, embedded PGlite store that outlives restarts) that is SIGKILLed
// at random moments and restarted, against the sandbox Zendesk injecting ~30% faults (429 with
// and without Retry-After, 500, 503, timeouts, dropped connections, lost responses) plus a 403
// that makes a few chosen handoffs fail for good. When the queue has drained, checker.mjs proves:
// one conversation and one ticket per handoff, every turn once and in order, no unmasked card
// anywhere in Zendesk or the logs, and the dead letter holding exactly the planned failures.
//
//   node tests/soak/soak.mjs [--handoffs 1000] [--seed 1] [--fault-rate 0.3] [--kill-every-ms 5000-20000]
//                            [--short] [--json FILE] [--self-check]
// Exit 0: no violation. Exit 1: violations (listed with their call ids). Exit 2: bad usage.
import net from 'node:net';
import { writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { buildCorpus } from './corpus.mjs';
import { check } from './checker.mjs';
import { core, serviceConfig, withSandbox, sandboxApi, spawnServe, respawn } from '../node/support/service-harness.mjs';

const require = createRequire(import.meta.url);
const { openStore } = require('../../node/service/store.js');
const { seededRandom } = require('../../node/sandbox/faults.js');

const USAGE = 'usage: soak.mjs [--handoffs N] [--seed S] [--fault-rate 0..0.9] [--kill-every-ms A-B] [--short] [--json FILE] [--self-check]';

export function parseArgs(argv) {
  const o = { handoffs: 1000, seed: 1, faultRate: 0.3, killEveryMs: [5_000, 20_000], short: false, json: null, selfCheck: false };
  const given = new Set();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => { if (i + 1 >= argv.length) throw new Error(`${a} needs a value`); return argv[++i]; };
    if (a === '--handoffs') o.handoffs = Number(value());
    else if (a === '--seed') o.seed = Number(value());
    else if (a === '--fault-rate') o.faultRate = Number(value());
    else if (a === '--kill-every-ms') {
      const m = /^(\d+)-(\d+)$/.exec(value());
      if (!m || Number(m[1]) > Number(m[2])) throw new Error('--kill-every-ms takes A-B in milliseconds, A ≤ B');
      o.killEveryMs = [Number(m[1]), Number(m[2])];
    } else if (a === '--short') o.short = true;
    else if (a === '--json') o.json = value();
    else if (a === '--self-check') o.selfCheck = true;
    else if (a === '--help' || a === '-h') { o.help = true; }
    else throw new Error(`unknown option ${a}`);
    given.add(a);
  }
  // The CI version: few enough handoffs to finish in a few minutes, kills close enough for ≥ 2.
  if (o.short && !given.has('--handoffs')) o.handoffs = 80;
  if (o.short && !given.has('--kill-every-ms')) o.killEveryMs = [4_000, 9_000];
  if (!(Number.isInteger(o.handoffs) && o.handoffs > 0)) throw new Error('--handoffs must be a positive whole number');
  if (!Number.isInteger(o.seed)) throw new Error('--seed must be a whole number');
  if (!(o.faultRate >= 0 && o.faultRate <= 0.9)) throw new Error('--fault-rate must be between 0 and 0.9');
  return o;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function freePort() {
  const server = net.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

// The transient fault mix, as shares of the fault rate. Rules are tried in order and the first
// that fires decides, so each rule's probability is its share of what the earlier ones left.
const FAULT_MIX = [
  ['429 + Retry-After', 0.15, { kind: 'status', status: 429, retryAfter: 1 }],
  ['429', 0.15, { kind: 'status', status: 429 }],
  ['500', 0.15, { kind: 'status', status: 500 }],
  ['503', 0.15, { kind: 'status', status: 503 }],
  ['timeout', 0.1, { kind: 'timeout' }],
  ['drop', 0.1, { kind: 'drop' }],
  ['lost_response', 0.2, { kind: 'lost_response' }],
];

function faultRules(corpus, { faultRate, seed }) {
  const rules = corpus.filter((h) => h.permanent).map((h) => ['403 (permanent)',
    { kind: 'status', status: 403, method: 'GET', path: `/sc/v2/apps/*/users/*${h.phone.replace(/\D/g, '')}` }]);
  let left = 1;
  FAULT_MIX.forEach(([label, share, rule], i) => {
    const p = faultRate * share;
    if (p <= 0) return;
    rules.push([label, { ...rule, probability: Math.min(1, p / left), seed: seed * 100 + i }]);
    left -= p;
  });
  return rules;
}

// Posts one delivery until the service acknowledges it, as a platform does: a refused connection
// (the service is down), a dropped one or a 5xx is retried; each attempt is signed afresh.
async function deliver(url, source, body, config, stats) {
  for (let attempt = 1; ; attempt++) {
    stats.postAttempts++;
    try {
      const { headers } = core.sign(source, body, config.sources[source], Date.now());
      const res = await fetch(`${url}/webhooks/${source}`, {
        method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body, signal: AbortSignal.timeout(15_000),
      });
      const answer = await res.json().catch(() => null);
      if (res.status === 202) return { ok: true, answer };
      if (res.status < 500) return { ok: false, status: res.status, answer };
    } catch { /* not answered: the service is restarting, or was killed while answering */ }
    await sleep(Math.min(2_000, 100 * attempt));
  }
}

// The service's queue, from its own metrics: handoffs not delivered, by state.
async function queueDepth(url) {
  try {
    const res = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5_000) });
    const depth = {};
    for (const m of (await res.text()).matchAll(/^handoff_queue_depth\{state="(\w+)"\} (\d+)/gm)) depth[m[1]] = Number(m[2]);
    return depth;
  } catch { return null; }
}
const pending = (depth) => depth && ['queued', 'retrying', 'delivering'].reduce((n, s) => n + (depth[s] || 0), 0);

export async function runSoak(options, { plant } = {}) {
  const started = Date.now();
  const log = (...a) => process.stderr.write(`[soak ${((Date.now() - started) / 1000).toFixed(1)}s] ${a.join(' ')}\n`);
  const corpus = buildCorpus({ handoffs: options.handoffs, seed: options.seed, permanentEvery: options.permanentEvery ?? 40 });
  const random = seededRandom(options.seed ^ 0x5eed);
  const sandbox = await withSandbox({ settings: { timeoutHoldMs: 2_500, requestLogSize: 100_000, webhookTimeFactor: 0.01 } });
  const port = await freePort();
  const config = serviceConfig(sandbox, {
    port, logLevel: 'warn',
    delivery: { pollMs: 50, baseDelayMs: 100, maxDelayMs: 2_000, requestTimeoutMs: 1_500, leaseSeconds: 3, concurrency: 6 },
  });
  const url = `http://127.0.0.1:${port}`;
  await sandboxApi(sandbox, 'webhooks/target', { method: 'POST', body: { target: `${url}/webhooks/sunshine` } });
  // The planned permanent failures are callers Support knows: the plan looks their messaging user
  // up first (GET …/users/<externalId>, which carries the phone), and the fault plan refuses that.
  for (const h of corpus.filter((c) => c.permanent)) {
    const { user, error } = await sandboxApi(sandbox, 'support/users', { method: 'POST', body: { name: `Known caller ${h.index}`, phone: h.phone } });
    if (!user) throw new Error(`the sandbox refused a Support user: ${JSON.stringify(error)}`);
  }
  const labels = new Map();
  for (const [label, rule] of faultRules(corpus, options)) {
    const { fault, error } = await sandboxApi(sandbox, 'faults', { method: 'POST', body: rule });
    if (!fault) throw new Error(`the sandbox refused a fault rule: ${error}`);
    labels.set(fault.id, label);
  }

  const life = { kills: 0, restarts: 0, logs: [], restartMs: [] };
  let serve = await spawnServe(config);
  const dataDir = path.join(path.dirname(serve.file), 'data');
  log(`service up on ${url} (store ${dataDir}); ${corpus.length} handoffs, fault rate ${options.faultRate}, seed ${options.seed}`);
  let killing = true;
  let wakeKiller = () => {};
  const killer = (async () => {
    const [a, b] = options.killEveryMs;
    while (killing) {
      await new Promise((r) => { wakeKiller = r; setTimeout(r, a + Math.round(random() * (b - a))); });
      if (!killing) break;
      await serve.kill('SIGKILL');
      life.kills++;
      life.logs.push(serve.stderr());
      const t = Date.now();
      serve = await respawn(serve.file);
      life.restarts++;
      life.restartMs.push(Date.now() - t);
      log(`kill ${life.kills}: restarted in ${Date.now() - t} ms`);
    }
  })();

  // Deliveries: handoffs start a few tens of ms apart; copies go at once or up to 15 s later.
  const stats = { postAttempts: 0, acked: 0, duplicates: 0, updates: 0, repeatsAnsweredAsUpdate: 0 };
  const acks = new Map();
  const refusals = [];
  const spacingMs = options.spacingMs ?? 40;
  const posts = [];
  for (const h of corpus) {
    for (const d of h.deliveries) {
      posts.push((async () => {
        await sleep(h.index * spacingMs + d.atMs);
        const r = await deliver(url, h.source, d.body, config, stats);
        if (!r.ok) { refusals.push({ callId: h.callId, problem: `delivery refused with ${r.status}: ${JSON.stringify(r.answer)}` }); return; }
        stats.acked++;
        if (r.answer.duplicate) stats.duplicates++;
        if (r.answer.update) stats.updates++;
        // Every copy of a handoff without an update event is byte-identical: a repeat answered
        // as an update bumped the revision and re-queued the handoff (fixed in 8337a51).
        if (r.answer.update && !h.hasUpdate) {
          stats.repeatsAnsweredAsUpdate++;
          refusals.push({ callId: h.callId, problem: 'an identical repeat was answered "update": true, not "duplicate" (revision bumped, handoff re-queued)' });
        }
        acks.set(h.callId, (acks.get(h.callId) || 0) + 1);
      })());
    }
  }
  await Promise.all(posts);
  const postedAt = Date.now();
  log(`all ${stats.acked} deliveries acknowledged (${stats.postAttempts} attempts); waiting for the queue to drain`);

  // Drained = nothing queued, retrying or delivering, seen twice a second apart (kills go on
  // until then: a kill during the drain lands mid-delivery). Stuck = the queue has not reached a
  // new low for `stallMs`, or the overall deadline passed.
  const drainDeadline = Date.now() + (options.drainTimeoutMs ?? (options.short ? 180_000 : Math.max(600_000, corpus.length * 1_500)));
  const stallMs = options.stallMs ?? 120_000;
  let drained = false;
  let lastDepth = null;
  let low = Infinity;
  let lowAt = Date.now();
  let reported = Date.now();
  while (Date.now() < drainDeadline && Date.now() - lowAt < stallMs) {
    lastDepth = await queueDepth(url);
    const n = pending(lastDepth);
    if (typeof n === 'number' && n < low) { low = n; lowAt = Date.now(); }
    if (Date.now() - reported > 30_000) { reported = Date.now(); log(`queue: ${JSON.stringify(lastDepth)}`); }
    if (n === 0) {
      await sleep(1_000);
      const again = await queueDepth(url);
      if (pending(again) === 0) { drained = true; break; }
    }
    await sleep(1_000);
  }
  const why = Date.now() - lowAt >= stallMs ? `no progress for ${stallMs / 1000} s` : 'the drain deadline passed';
  killing = false;
  wakeKiller();
  await killer;
  if (drained) {
    // A kill may have landed after the check: make sure the restarted service agrees.
    const until = Date.now() + 120_000;
    while (Date.now() < until && pending(await queueDepth(url)) !== 0) await sleep(500);
  }
  const drainedAt = Date.now();
  await sandboxApi(sandbox, 'idle');
  log(drained ? `queue drained ${((drainedAt - postedAt) / 1000).toFixed(1)} s after the last delivery` : `queue NOT drained (${why}): ${JSON.stringify(lastDepth)}`);

  if (plant) await plant.sandbox({ sandbox, corpus, config });
  await serve.kill('SIGKILL');
  life.logs.push(serve.stderr());

  const store = await openStore({ dataDir });
  if (plant) await plant.store({ store, corpus });
  const rows = await store.query('select source, call_id, state, revision, delivered_revision, attempts, last_error, handoff from handoffs');
  const counted = await store.query(`select call_id, count(*)::int as n from deliveries where status = 'accepted' group by call_id`);
  await store.close();
  rmSync(path.dirname(serve.file), { recursive: true, force: true });

  // A keep-alive socket the sandbox closed while the store was read can fail one request: retry.
  const read = async (p) => {
    for (let attempt = 1; ; attempt++) {
      try { return await sandboxApi(sandbox, p); } catch (err) {
        if (attempt === 3) throw new Error(`reading the sandbox's ${p}: ${err.message} (${err.cause && (err.cause.code || err.cause.message)})`);
        await sleep(200);
      }
    }
  };
  const snapshot = {
    conversations: (await read('conversations')).conversations,
    tickets: (await read('tickets')).tickets,
    users: await read('users'),
    requests: (await read('requests')).requests,
    webhooks: (await read('webhooks')).deliveries,
  };
  const { faults } = await read('faults');
  await sandbox.close();

  const logs = life.logs.join('\n');
  const violations = [...refusals, ...check({
    corpus, rows, storedDeliveries: new Map(counted.map((r) => [r.call_id, r.n])), acks, sandbox: snapshot, handoffConfig: config.handoff, logs,
  })];
  if (!drained) {
    for (const r of rows.filter((x) => ['queued', 'retrying', 'delivering'].includes(x.state))) {
      violations.push({ callId: r.call_id, problem: `still "${r.state}" when the soak stopped waiting (${why}; attempts ${r.attempts}, last error ${r.last_error})` });
    }
  }
  if (life.kills < (options.minKills ?? 0)) violations.push({ callId: null, problem: `only ${life.kills} kill(s); the run needs at least ${options.minKills}` });

  // Figures.
  const faultsByKind = {};
  for (const f of faults) { const label = labels.get(f.id) || f.kind; faultsByKind[label] = (faultsByKind[label] || 0) + f.hits; }
  const apiRequests = snapshot.requests.length ? snapshot.requests[snapshot.requests.length - 1].seq : 0;
  const attemptsByCall = new Map();
  for (const line of logs.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const e = JSON.parse(line);
      if (e.callId && Number.isFinite(e.attempts)) attemptsByCall.set(e.callId, Math.max(attemptsByCall.get(e.callId) || 0, e.attempts));
    } catch { /* a line cut short by SIGKILL */ }
  }
  // A retried handoff logged its failed attempts; the successful one came after them.
  const maxAttempts = Math.max(1, ...[...attemptsByCall].map(([callId, n]) => n + (corpus.find((h) => h.callId === callId)?.permanent ? 0 : 1)));
  const faultsInjected = Object.values(faultsByKind).reduce((a, b) => a + b, 0);
  const summary = {
    handoffs: corpus.length,
    bySize: Object.fromEntries(['short', 'long40', 'long400'].map((s) => [s, corpus.filter((h) => h.size === s).length])),
    withCards: corpus.filter((h) => h.card).length,
    permanentFailuresPlanned: corpus.filter((h) => h.permanent).length,
    deliveries: stats.acked, duplicatesAcknowledged: stats.duplicates, updatesAcknowledged: stats.updates, postAttempts: stats.postAttempts,
    zendeskRequests: apiRequests, requestsPerHandoff: Number((apiRequests / corpus.length).toFixed(2)),
    faultsInjected, faultShare: Number((faultsInjected / Math.max(1, apiRequests)).toFixed(3)), faultsByKind,
    kills: life.kills, restarts: life.restarts,
    restartMsMedian: life.restartMs.length ? [...life.restartMs].sort((a, b) => a - b)[Math.floor(life.restartMs.length / 2)] : null,
    maxAttempts, retriedHandoffs: attemptsByCall.size,
    dead: rows.filter((r) => r.state === 'dead').length,
    drainedSecondsAfterLastDelivery: Number(((drainedAt - postedAt) / 1000).toFixed(1)),
    wallSeconds: Number(((Date.now() - started) / 1000).toFixed(1)),
    seed: options.seed, faultRate: options.faultRate, killEveryMs: options.killEveryMs.join('-'),
    backend: core.backend.name, loadAverage: (await import('node:os')).loadavg().map((l) => Number(l.toFixed(2))),
    violations: violations.length,
    // Identical repeats answered as updates (each also a violation), and planned 403s met more
    // than once per handoff: a later copy put a dead handoff back in the queue, or a kill landed
    // between the 403 and the dead-letter write (legitimate, hence counted, not failed).
    findings: {
      identicalRepeatsAnsweredAsUpdate: stats.repeatsAnsweredAsUpdate,
      deadHandoffsRetriedAfterARepeat: Math.max(0, (faultsByKind['403 (permanent)'] || 0) - corpus.filter((h) => h.permanent).length),
    },
  };
  return { summary, violations };
}

// --self-check: a tiny soak, then damage planted in the sandbox and the store; the checker must
// name every planted problem with its call id, or the checker itself is broken.
async function selfCheck() {
  const planted = [];
  const plant = {
    async sandbox({ sandbox, corpus }) {
      await sandboxApi(sandbox, 'faults', { method: 'DELETE' });  // the planting itself must not fail
      const c = sandbox.credentials;
      const auth = `Basic ${Buffer.from(`${c.keyId}:${c.secret}`).toString('base64')}`;
      const sunshine = (method, p, body) => fetch(`${sandbox.url}/sc/v2/apps/${c.appId}${p}`, {
        method, headers: { authorization: auth, 'content-type': 'application/json' }, body: body && JSON.stringify(body),
      }).then((r) => r.json());
      const { conversations } = await sandboxApi(sandbox, 'conversations');
      const convOf = (h) => conversations.find((x) => x.metadata && x.metadata.phone_handoff_call_id === h.callId);
      const live = corpus.filter((h) => !h.permanent && convOf(h));
      const [dup, lost, card, twice] = live;
      // A transcript part posted twice.
      const part = convOf(dup).messages.find((m) => m.metadata && m.metadata.phone_handoff_kind === 'transcript');
      await sunshine('POST', `/conversations/${convOf(dup).id}/messages`, { author: { type: 'business' }, content: part.content, metadata: part.metadata });
      planted.push([dup.callId, /transcript parts/]);
      // A transcript part lost.
      const gone = convOf(lost).messages.find((m) => m.metadata && m.metadata.phone_handoff_kind === 'transcript');
      await sunshine('DELETE', `/conversations/${convOf(lost).id}/messages/${gone.id}`);
      planted.push([lost.callId, /transcript parts|turns/]);
      // An unmasked card.
      await sunshine('POST', `/conversations/${convOf(card).id}/messages`, { author: { type: 'business' }, content: { type: 'text', text: 'card 4111 1111 1111 1111' } });
      planted.push([card.callId, /card/], [null, /(request log|webhook deliveries).*card/]);
      // A second conversation for one call.
      await sunshine('POST', '/conversations', { type: 'personal', participants: [{ userExternalId: `phone:${twice.phone}` }], metadata: { phone_handoff_call_id: twice.callId } });
      planted.push([twice.callId, /2 conversations/]);
    },
    async store({ store, corpus }) {
      const victim = corpus.filter((h) => !h.permanent)[4];
      await store.query(`update handoffs set state = 'dead', last_error = 'planted' where call_id = $1`, [victim.callId]);
      planted.push([victim.callId, /dead letter/]);
    },
  };
  const { violations } = await runSoak({ handoffs: 12, seed: 99, faultRate: 0.1, killEveryMs: [600_000, 600_000], permanentEvery: 6, spacingMs: 20, drainTimeoutMs: 120_000 }, { plant });
  const missed = planted.filter(([callId, pattern]) => !violations.some((v) => v.callId === callId && pattern.test(v.problem)));
  for (const v of violations) process.stdout.write(`  found: ${v.callId}: ${v.problem}\n`);
  if (missed.length) {
    process.stdout.write(`SELF-CHECK FAILED: the checker missed ${missed.map(([id, p]) => `${id} (${p})`).join(', ')}\n`);
    return false;
  }
  const unplanted = violations.filter((v) => !planted.some(([callId, pattern]) => callId === v.callId && (callId !== null || pattern.test(v.problem))));
  if (unplanted.length) {
    process.stdout.write(`SELF-CHECK FAILED: violations nobody planted: ${JSON.stringify(unplanted)}\n`);
    return false;
  }
  process.stdout.write(`self-check passed: the checker reported all ${planted.length} planted problems, and nothing else\n`);
  return true;
}

async function main() {
  let options;
  try { options = parseArgs(process.argv.slice(2)); } catch (err) { process.stderr.write(`${err.message}\n${USAGE}\n`); return 2; }
  if (options.help) { process.stdout.write(`${USAGE}\n`); return 0; }
  if (options.selfCheck) return (await selfCheck()) ? 0 : 1;
  if (options.short) options.minKills = 2;
  const { summary, violations } = await runSoak(options);
  process.stdout.write(`soak: ${JSON.stringify(summary, null, 1)}\n`);
  if (options.json) writeFileSync(options.json, `${JSON.stringify({ summary, violations }, null, 2)}\n`);
  if (violations.length) {
    process.stdout.write(`FAILED: ${violations.length} violation(s)\n`);
    for (const v of violations.slice(0, 200)) process.stdout.write(`  ${v.callId ?? '-'}: ${v.problem}\n`);
    return 1;
  }
  process.stdout.write('soak passed: every handoff is one conversation and one ticket with every turn once, in order; no card unmasked; the dead letter holds only the planned failures\n');
  return 0;
}

main().then((code) => process.exit(code), (err) => { process.stderr.write(`soak crashed: ${err.stack}\n`); process.exit(1); });
