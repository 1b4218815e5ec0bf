// Cold start (issue #8 §5): a fresh Node process that loads the package and plans one 40-turn
// handoff (parse + plan of tests/fixtures/vapi/long-40.json), as whole-process wall time minus that
// of `node -e 0`, median of interleaved runs, for the native and the wasm backend.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { repo, fixturePath } from '../service/payloads.mjs';
import { median, round, load, ms } from '../service/stats.mjs';

const require = createRequire(import.meta.url);

export const name = 'coldstart';
export const describe = 'fresh process: load the package, parse + plan a 40-turn call, minus `node -e 0`';

const TARGET_MS = { native: 60, wasm: 120 };
const FIXTURE = fixturePath('vapi/long-40.json');

// What the measured process runs: everything a one-shot CLI or a function's cold start does.
const SCRIPT = `
const core = require(${JSON.stringify(path.join(repo, 'node', 'index.js'))});
const body = require('node:fs').readFileSync(${JSON.stringify(FIXTURE)});
const parsed = core.parse('vapi', body);
const plan = core.plan(parsed.handoff, { sunshine: { integration: 'phone-handoff' } });
if (!plan.requests || !plan.requests.length || core.backend.name !== process.env.PHONE_HANDOFF_BACKEND) process.exit(3);
`;

function wallMs(args, env) {
  const t = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ').slice(0, 40)}… exited with ${r.status}: ${String(r.stderr).slice(-500)}`);
  return elapsed;
}

// The build each backend loads (the loader's first candidate that exists), with its date.
function buildUsed(backend) {
  const { loadBackend } = require('../../node/lib/backends.js');
  try {
    const b = loadBackend(backend);
    const file = b.path && existsSync(b.path) ? b.path : null;
    return { path: file ? path.relative(repo, file) : b.path, modified: file ? statSync(file).mtime.toISOString() : null };
  } catch (error) {
    return { unavailable: String(error.message || error).split('\n')[0] };
  }
}

export async function run(options, out) {
  const runs = options.coldRuns ?? (options.quick ? 5 : 15);
  const backends = ['native', 'wasm'];
  const builds = Object.fromEntries(backends.map((b) => [b, buildUsed(b)]));
  const available = backends.filter((b) => !builds[b].unavailable);
  const times = { baseline: [], ...Object.fromEntries(available.map((b) => [b, []])) };
  const loadBefore = load();
  const baseEnv = { ...process.env };
  delete baseEnv.NODE_OPTIONS;
  // One unmeasured run of each first (file cache), then rounds that interleave all three.
  wallMs(['-e', '0'], baseEnv);
  for (const b of available) wallMs(['-e', SCRIPT], { ...baseEnv, PHONE_HANDOFF_BACKEND: b });
  for (let i = 0; i < runs; i++) {
    times.baseline.push(wallMs(['-e', '0'], baseEnv));
    for (const b of available) times[b].push(wallMs(['-e', SCRIPT], { ...baseEnv, PHONE_HANDOFF_BACKEND: b }));
  }
  const baseline = median(times.baseline);
  const results = { runs, machine_load: { before: loadBefore, after: load() }, node_e_0_ms: round(baseline), backends: {} };
  for (const b of backends) {
    if (builds[b].unavailable) { results.backends[b] = { build: builds[b] }; continue; }
    const whole = median(times[b]);
    results.backends[b] = { build: builds[b], process_ms: round(whole), cold_start_ms: round(whole - baseline) };
  }

  out.write(`  median of ${runs} interleaved runs; node -e 0 = ${ms(baseline)}; load ${results.machine_load.before} → ${results.machine_load.after}\n`);
  const verdicts = [];
  for (const b of backends) {
    const r = results.backends[b];
    if (r.cold_start_ms === undefined) { out.write(`  ${b.padEnd(7)} unavailable: ${r.build.unavailable}\n`); continue; }
    out.write(`  ${b.padEnd(7)} ${ms(r.cold_start_ms).padStart(7)} (process ${ms(r.process_ms)})  build ${r.build.path} (${r.build.modified})\n`);
    verdicts.push({ case: `${b} load + plan 40 turns`, measured: ms(r.cold_start_ms), target: `≤ ${TARGET_MS[b]} ms`, met: r.cold_start_ms <= TARGET_MS[b] });
  }
  return { results, verdicts };
}
