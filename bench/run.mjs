#!/usr/bin/env node
// `npm run bench`: the core pipeline benchmark (wall clock: native, wasm and the plain-JS
// baseline side by side) and the core's instruction counts (callgrind). A table on stdout, one
// JSON file in bench/results/ (git-ignored). Options:
//   --rounds N        rounds per case (default 5); --ms N  milliseconds per implementation per round (default 120)
//   --source NAME     only this source (repeatable)
//   --no-callgrind    skip the instruction counts
// Benchmarks are reports, not gates: targets are printed next to the figures, nothing fails on them.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, printTable, runCorePipeline } from './core-pipeline.mjs';
import { callgrindPipeline, printCallgrind } from './callgrind.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const options = { rounds: 5, milliseconds: 120, only: null, callgrind: true };
for (let i = 0; i < args.length; i++) {
  const number = () => {
    const n = Number(args[++i]);
    if (!Number.isInteger(n) || n < 1) { console.error(`bench: ${args[i - 1]} needs a whole number ≥ 1`); process.exit(2); }
    return n;
  };
  if (args[i] === '--rounds') options.rounds = number();
  else if (args[i] === '--ms') options.milliseconds = number();
  else if (args[i] === '--source') (options.only ??= []).push(args[++i]);
  else if (args[i] === '--no-callgrind') options.callgrind = false;
  else { console.error(`bench: unknown argument ${args[i]}`); process.exit(2); }
}

// issue #8: throughput over the JS baseline, 400-turn call (the -pp rows: parse → plan, all a delivery needs)
const TARGETS = { native: 3, wasm: 1.5, 'native-pp': 3, 'wasm-pp': 1.5 };

const pipeline = await runCorePipeline(options);
printTable(pipeline);
printTable(pipeline, process.stdout, 'cpu_ms');
const verdicts = [];
for (const r of pipeline.results.filter((x) => x.size === '400')) {
  for (const [impl, target] of Object.entries(TARGETS)) {
    if (r.median_ms[impl] === undefined || r.median_ms.js === undefined) continue;
    const speedup = r.median_ms.js / r.median_ms[impl];
    const cpuSpeedup = r.cpu_ms.js / r.cpu_ms[impl];
    verdicts.push({ source: r.source, implementation: impl, speedup: +speedup.toFixed(3), cpu_speedup: +cpuSpeedup.toFixed(3), target, met: speedup >= target });
  }
}
process.stdout.write('\nTargets, 400-turn calls (throughput over the JS baseline; wall, and CPU time in brackets):\n');
for (const v of verdicts) {
  process.stdout.write(`  ${v.source.padEnd(11)} ${v.implementation.padEnd(9)} ${v.speedup.toFixed(2)}× (CPU ${v.cpu_speedup.toFixed(2)}×), target ≥ ${v.target}×: ${v.met ? 'met' : 'NOT met'}\n`);
}

const callgrind = options.callgrind ? callgrindPipeline() : { skipped: '--no-callgrind' };
printCallgrind(callgrind);

const dir = path.join(here, 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
writeFileSync(file, `${JSON.stringify({ machine: machine(), options, core_pipeline: pipeline, targets: verdicts, callgrind }, null, 2)}\n`);
process.stdout.write(`\nJSON: ${path.relative(path.resolve(here, '..'), file)}\n`);
