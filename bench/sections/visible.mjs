// Time to visible (issue #8 §2): from a webhook's arrival at the service to Agent Workspace holding
// control of a conversation that shows every transcript turn, through the real service (startService,
// native backend, embedded store, HTTP on loopback) and the sandbox Zendesk answering every request
// 50 ms late. One handoff at a time, each a new call from a new caller (the full request sequence).
import { startStack } from '../service/stack.mjs';
import { core, loadTemplate, distinctBody, checkDistinct, signedHeaders, longCallFixture } from '../service/payloads.mjs';
import { summary, median, ms, round, load, mean } from '../service/stats.mjs';

export const name = 'visible';
export const describe = 'webhook → Agent Workspace has control with the whole transcript, 50 ms per Zendesk request';

const LATENCY_MS = 50;
const TARGET_P95_MS = { 40: 500, 400: 1000 };
const ALL_SOURCES = ['vapi', 'retell', 'elevenlabs', 'bland', 'canonical'];

// What a rep sees: the conversation of this call, Agent Workspace active, every turn posted (the
// transcript messages' first/last turn metadata cover 0 … turns-1).
function isVisible(sandbox, callId, turns) {
  const workspace = sandbox.state.agentWorkspaceSbi();
  for (const conversation of sandbox.state.conversations.values()) {
    if (!conversation.metadata || conversation.metadata.phone_handoff_call_id !== callId) continue;
    if (!workspace || conversation.activeSbiId !== workspace.id) return false;
    const seen = new Uint8Array(turns);
    for (const m of conversation.messages) {
      const meta = m.metadata;
      if (!meta || meta.phone_handoff_kind !== 'transcript') continue;
      for (let t = Number(meta.phone_handoff_first_turn); t <= Number(meta.phone_handoff_last_turn) && t < turns; t++) seen[t] = 1;
    }
    return seen.every((x) => x === 1);
  }
  return false;
}

async function until(what, check, timeoutMs) {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 1));
  }
  return performance.now();
}

// The plan's own cost per call for this handoff (native, measured here, outside the service).
function planCostMs(text, source, planConfig) {
  const handoff = core.parse(source, text).handoff;
  const times = [];
  for (let i = 0; i < 15; i++) {
    const t = performance.now();
    core.plan(handoff, planConfig, {});
    times.push(performance.now() - t);
  }
  return median(times);
}

// `first` numbers this case's handoffs within the run, so no two handoffs share a caller.
async function measureCase(stack, template, handoffs, runTag, first = 0) {
  const { service, sandbox, config, clocks } = stack;
  checkDistinct(template, { newCaller: true });
  const rows = [];
  for (let i = 0; i < handoffs; i++) {
    const { text, callId } = distinctBody(template, first + i, { tag: runTag, newCaller: true });
    const requestsBefore = sandbox.state.requestSeq;
    const zendesk0 = clocks.zendesk.read();
    const store0 = clocks.store.read();
    const storeOps0 = clocks.store.count();
    const t0 = performance.now();
    const res = await fetch(`${service.url}/webhooks/${template.source}`, {
      method: 'POST', headers: signedHeaders(template.source, text, config.sources[template.source]), body: text,
    });
    const answer = await res.json();
    const acked = performance.now();
    if (res.status !== 202) throw new Error(`${template.relative}: the service answered ${res.status} ${JSON.stringify(answer)}`);
    const storeAtAck = clocks.store.read();
    const visibleAt = await until(`${callId} visible`, () => isVisible(sandbox, callId, template.turns), 30_000);
    const zendeskMs = clocks.zendesk.read() - zendesk0;
    const storeMs = clocks.store.read() - store0;
    const storeOps = clocks.store.count() - storeOps0;
    const requestsToVisible = sandbox.state.requestSeq - requestsBefore;
    // Let the delivery finish (its last progress write) so the next handoff starts on an idle service.
    await until(`${callId} delivered`, async () => {
      const [row] = await service.store.query('select state from handoffs where source = $1 and call_id = $2', [template.source, callId]);
      if (row && row.state === 'dead') throw new Error(`${callId} went to the dead letter`);
      return row && row.state === 'delivered';
    }, 30_000);
    const total = visibleAt - t0;
    rows.push({
      total, ack: acked - t0, zendesk: zendeskMs, store: storeMs, storeIntake: storeAtAck - store0,
      other: total - zendeskMs - storeMs, storeOps, requests: requestsToVisible, requestsTotal: sandbox.state.requestSeq - requestsBefore,
    });
  }
  const requests = rows.map((r) => r.requests);
  const planMs = planCostMs(template.text, template.source, config.handoff);
  const requestsPerHandoff = median(requests);
  return {
    source: template.source, turns: template.turns, size: template.relative.includes('400') ? 400 : 40, bytes: template.bytes,
    handoffs: rows.length,
    visible_ms: summary(rows.map((r) => r.total)),
    zendesk_requests: { median: requestsPerHandoff, min: Math.min(...requests), max: Math.max(...requests),
      per_delivery_median: median(rows.map((r) => r.requestsTotal)) },
    // Mean shares of the time to visible: requests to Zendesk (latency floor = requests × 50 ms),
    // the store (intake's transaction and the worker's claim and progress writes), and the rest
    // (HTTP intake, signature check, parse, plan, JSON, waiting for a worker to wake).
    split_ms: {
      ack: round(mean(rows.map((r) => r.ack))),
      zendesk: round(mean(rows.map((r) => r.zendesk))),
      latency_floor: requestsPerHandoff * LATENCY_MS,
      store: round(mean(rows.map((r) => r.store))),
      store_in_intake: round(mean(rows.map((r) => r.storeIntake))),
      store_operations: median(rows.map((r) => r.storeOps)),
      other: round(mean(rows.map((r) => r.other))),
      plan_per_call: round(planMs, 2),
      plan_estimate: round(planMs * (requestsPerHandoff + 1)),
    },
  };
}

export async function run(options, out) {
  const quick = Boolean(options.quick);
  const handoffs = options.handoffs ?? (quick ? 3 : 20);
  const sources40 = options.visibleSources ?? (quick ? ['vapi'] : ALL_SOURCES.filter((s) => s !== 'canonical'));
  const sources400 = options.visibleSources ?? (quick ? ['vapi'] : ['vapi', 'canonical']);
  const sizes = options.visibleSizes ?? [40, 400];
  const cases = [];
  for (const size of sizes) {
    for (const source of size === 40 ? sources40 : sources400) {
      const fixture = longCallFixture(source, size);
      if (fixture) cases.push(fixture);
    }
  }
  const loadBefore = load();
  const stack = await startStack({ latencyMs: LATENCY_MS });
  const results = [];
  try {
    // One warm-up handoff: the first one pays for the store's and the HTTP pools' first use.
    await measureCase(stack, loadTemplate(cases[0]), 1, 'warm', 9_999_000);
    stack.sandbox.state.requestLog.length = 0;
    for (const [index, fixture] of cases.entries()) {
      results.push(await measureCase(stack, loadTemplate(fixture), handoffs, `c${index}-`, index * handoffs));
    }
  } finally {
    await stack.close();
  }
  const machineLoad = { before: loadBefore, after: load() };

  out.write(`  ${LATENCY_MS} ms added to every Zendesk request; ${handoffs} handoffs per case, one at a time; load ${machineLoad.before} → ${machineLoad.after}\n`);
  out.write(`  ${'case'.padEnd(20)} ${'p50'.padStart(7)} ${'p95'.padStart(7)} ${'max'.padStart(7)}  requests  ${'floor'.padStart(6)} ${'zendesk'.padStart(8)} ${'store'.padStart(7)} ${'other'.padStart(7)} ${'(plan)'.padStart(7)}  ack\n`);
  for (const r of results) {
    const s = r.split_ms;
    out.write(`  ${`${r.source} ${r.turns} turns`.padEnd(20)} ${ms(r.visible_ms.p50).padStart(7)} ${ms(r.visible_ms.p95).padStart(7)} ${ms(r.visible_ms.max).padStart(7)}  ${String(r.zendesk_requests.median).padStart(8)}  ${ms(s.latency_floor).padStart(6)} ${ms(s.zendesk).padStart(8)} ${ms(s.store).padStart(7)} ${ms(s.other).padStart(7)} ${ms(s.plan_estimate).padStart(7)}  ${ms(s.ack)}\n`);
  }
  out.write('  (floor = requests × 50 ms; zendesk = time in Zendesk requests; store and other = the service\'s own time, means)\n');

  const verdicts = results.map((r) => ({
    case: `${r.source} ${r.turns} turns p95`,
    measured: `${ms(r.visible_ms.p95)} (${r.zendesk_requests.median} requests)`,
    target: `≤ ${TARGET_P95_MS[r.size] / 1000} s`,
    met: r.visible_ms.p95 <= TARGET_P95_MS[r.size],
  }));
  return { results: { latency_ms: LATENCY_MS, handoffs_per_case: handoffs, machine_load: machineLoad, backend: core.backend.name, cases: results }, verdicts };
}
