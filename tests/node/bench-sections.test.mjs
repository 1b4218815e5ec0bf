// The service benchmark sections (bench/sections/visible.mjs, intake.mjs, coldstart.mjs) run end to
// end at their smallest sizes and return the shape bench/run.mjs reports. Timings are never
// asserted: benchmarks are reports, and this machine is shared.
import test from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import * as visible from '../../bench/sections/visible.mjs';
import * as intake from '../../bench/sections/intake.mjs';
import * as coldstart from '../../bench/sections/coldstart.mjs';

function sink() {
  let text = '';
  return { stream: new Writable({ write(chunk, _e, done) { text += chunk; done(); } }), text: () => text };
}

function assertVerdicts(verdicts) {
  assert.ok(Array.isArray(verdicts) && verdicts.length > 0, 'at least one verdict');
  for (const v of verdicts) {
    assert.equal(typeof v.case, 'string');
    assert.equal(typeof v.measured, 'string');
    assert.match(v.target, /^[≤≥] /);
    assert.equal(typeof v.met, 'boolean');
  }
}

for (const section of [visible, intake, coldstart]) {
  test(`${section.name}: a section bench/run.mjs can run`, () => {
    assert.match(section.name, /^[a-z]+$/);
    assert.equal(typeof section.describe, 'string');
    assert.equal(typeof section.run, 'function');
  });
}

test('visible: every handoff reaches Agent Workspace with its whole transcript, and the time splits', { timeout: 60_000 }, async () => {
  const out = sink();
  const { results, verdicts } = await visible.run({ quick: true, handoffs: 1, visibleSources: ['vapi'], visibleSizes: [40] }, out.stream);
  assertVerdicts(verdicts);
  assert.equal(results.latency_ms, 50);
  const [c] = results.cases;
  assert.equal(c.source, 'vapi');
  assert.equal(c.turns, 40);
  assert.equal(c.visible_ms.n, 1);
  // Every Zendesk request waited 50 ms, so the measured time cannot be below the latency floor.
  assert.ok(c.zendesk_requests.median >= 3, `requests per handoff: ${c.zendesk_requests.median}`);
  assert.ok(c.visible_ms.p50 >= c.split_ms.latency_floor, JSON.stringify(c));
  for (const k of ['ack', 'zendesk', 'store', 'other', 'plan_per_call']) assert.equal(typeof c.split_ms[k], 'number', k);
  assert.match(out.text(), /vapi 40 turns/);
});

test('intake: distinct signed webhooks are all accepted, and memory is sampled', { timeout: 90_000 }, async () => {
  const out = sink();
  const { results, verdicts } = await intake.run({ quick: true, intakeRequests: 60, intakeConnections: 4 }, out.stream);
  assertVerdicts(verdicts);
  assert.equal(results.workers, 'off');
  const [embedded, postgres] = results.stores;
  assert.equal(embedded.store, 'embedded (PGlite)');
  // Distinct bodies: every one is a new handoff, accepted (202), none rejected or a duplicate.
  assert.equal(embedded.accepted, 60);
  assert.equal(embedded.non_2xx, 0);
  assert.ok(embedded.rss_peak_mb > 10, 'the child service\'s RSS was sampled');
  assert.ok(postgres.unavailable ? typeof postgres.unavailable === 'string' : postgres.accepted === 60, JSON.stringify(postgres));
  // CPU per webhook of each process on the cores: PGlite's database runs inside the service.
  assert.equal(embedded.database_cpu_ms_per_request, null);
  assert.equal(typeof embedded.load_generator_cpu_ms_per_request, 'number');
  // Read from /proc (null when it could not be): a number, possibly 0 — /proc counts CPU in 10 ms
  // ticks, and 60 webhooks cost the server about one tick, so "> 0" failed now and then.
  if (!postgres.unavailable) {
    assert.ok(Number.isFinite(postgres.database_cpu_ms_per_request), 'the PostgreSQL server\'s CPU was read from /proc');
  }
});

test('coldstart: both backends start, parse and plan in a fresh process', { timeout: 60_000 }, async () => {
  const out = sink();
  const { results, verdicts } = await coldstart.run({ quick: true, coldRuns: 1 }, out.stream);
  assertVerdicts(verdicts);
  assert.ok(results.node_e_0_ms > 0);
  for (const b of ['native', 'wasm']) {
    const r = results.backends[b];
    assert.ok(r.build.unavailable || (typeof r.cold_start_ms === 'number' && r.build.path), JSON.stringify(r));
  }
});
