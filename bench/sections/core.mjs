// Core pipeline section: native, wasm and the plain-JS baseline side by side (core-pipeline.mjs),
// then the core's instruction counts (callgrind.mjs).
import { printTable, runCorePipeline } from '../core-pipeline.mjs';
import { callgrindPipeline, printCallgrind } from '../callgrind.mjs';

export const name = 'core';
export const describe = 'body → Sunshine plan (deliver, and the four-call pipeline), native / wasm / plain-JS baseline';

// issue #8: throughput over the JS baseline, 400-turn call. The -deliver rows are the headline:
// one call, body text in, plan text out, like the baseline; the others show the cost of the
// finer-grained calls (four through the package API; -pp: parse → plan as two raw calls).
const TARGETS = { 'native-deliver': 3, 'wasm-deliver': 1.5, native: 3, wasm: 1.5, 'native-pp': 3, 'wasm-pp': 1.5 };

export async function run(options, out) {
  const pipeline = await runCorePipeline(options.quick ? { ...options, rounds: 1, milliseconds: 40 } : options);
  printTable(pipeline, out);
  printTable(pipeline, out, 'cpu_ms');
  const verdicts = [];
  for (const r of pipeline.results.filter((x) => x.size === '400')) {
    for (const [impl, target] of Object.entries(TARGETS)) {
      if (r.median_ms[impl] === undefined || r.median_ms.js === undefined) continue;
      const speedup = r.median_ms.js / r.median_ms[impl];
      const cpuSpeedup = r.cpu_ms.js / r.cpu_ms[impl];
      verdicts.push({
        case: `${r.source} 400 turns, ${impl}`,
        measured: `${speedup.toFixed(2)}× (CPU ${cpuSpeedup.toFixed(2)}×)`,
        target: `≥ ${target}× the JS baseline`,
        met: speedup >= target,
        speedup: +speedup.toFixed(3), cpu_speedup: +cpuSpeedup.toFixed(3),
      });
    }
  }
  const callgrind = options.callgrind && !options.quick ? callgrindPipeline() : { skipped: options.quick ? '--quick' : '--no-callgrind' };
  printCallgrind(callgrind, out);
  return { results: { core_pipeline: pipeline, callgrind }, verdicts };
}
