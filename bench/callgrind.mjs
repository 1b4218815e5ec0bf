// Instruction counts of the core pipeline (repeatable on a noisy 2-core machine, unlike wall
// time): builds bench/driver.cpp with g++ -O2 against a built libphone_handoff_core.a (default
// build/native, or PH_BENCH_CORE_LIB), runs it under `valgrind --tool=callgrind` on the 400-turn
// Vapi payload, and reports instructions per operation and the functions with the most
// instructions of their own (where the time goes).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OPERATIONS = ['parse', 'redact', 'render', 'plan'];
const ONE_CALL = 'deliver';  // the whole pipeline in one call, reported beside the four
const ITERATIONS = 2;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}: ${(r.stderr || '').slice(-800)}`);
  return r.stdout;
}

const count = (text) => Number(text.replace(/,/g, ''));

// callgrind_annotate lines: "  12,345,678 (12.34%)  file:function [object]".
function annotated(file, inclusive) {
  const out = run('callgrind_annotate', [`--inclusive=${inclusive ? 'yes' : 'no'}`, '--threshold=100', file]);
  const total = out.match(/^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?PROGRAM TOTALS/m);
  const rows = [...out.matchAll(/^\s*([\d,]+)\s+(?:\([^)]*\)\s+)?(\S.*?)\s*$/gm)]
    .filter((m) => !/PROGRAM TOTALS|^Ir\b/.test(m[2]))
    .map((m) => ({ ir: count(m[1]), fn: m[2].replace(/\s+\[[^\]]*\]$/, '') }));
  return { total: total ? count(total[1]) : null, rows };
}

export function callgrindPipeline({ source = 'vapi', payload = 'tests/fixtures/vapi/long-400.json', top = 15 } = {}) {
  const lib = path.resolve(root, process.env.PH_BENCH_CORE_LIB || 'build/native/libphone_handoff_core.a');
  if (!existsSync(lib)) return { skipped: `${path.relative(root, lib)} not found (build it with "npm run build", or set PH_BENCH_CORE_LIB)` };
  if (spawnSync('valgrind', ['--version']).error) return { skipped: 'valgrind is not installed (Debian package valgrind)' };
  const outDir = path.join(root, 'build', 'bench');
  mkdirSync(outDir, { recursive: true });
  // One driver per library, so comparing two builds never runs a driver linked against the other.
  const driver = path.join(outDir, `driver-${createHash('sha1').update(lib).digest('hex').slice(0, 8)}`);
  const source_ = path.join(root, 'bench', 'driver.cpp');
  const stale = !existsSync(driver) || statSync(driver).mtimeMs < Math.max(statSync(lib).mtimeMs, statSync(source_).mtimeMs);
  if (stale) {
    run('g++', ['-O2', '-g', '-std=c++17', '-Wall', '-Wextra', '-Wpedantic', '-I', path.join(root, 'core', 'include'),
      source_, lib, '-o', driver]);
  }
  const resultsDir = path.join(root, 'bench', 'results');
  mkdirSync(resultsDir, { recursive: true });
  const outFile = path.join(resultsDir, `callgrind-${source}-${path.basename(payload, '.json')}.out`);
  run('valgrind', ['--tool=callgrind', `--callgrind-out-file=${outFile}`, driver, source, path.join(root, payload), String(ITERATIONS)]);
  const inclusive = annotated(outFile, true);
  const self = annotated(outFile, false);
  const perOperation = {};
  for (const op of [...OPERATIONS, ONE_CALL]) {
    const row = inclusive.rows.find((r) => new RegExp(`phone_handoff::ops::${op}(\\[abi:cxx11\\])?\\(`).test(r.fn));
    perOperation[op] = row ? Math.round(row.ir / ITERATIONS) : null;
  }
  const pipeline = OPERATIONS.reduce((sum, op) => sum + (perOperation[op] || 0), 0);
  return {
    library: path.relative(root, lib), payload, iterations: ITERATIONS, program_total: inclusive.total,
    per_operation: perOperation, pipeline_per_call: pipeline, deliver_per_call: perOperation[ONE_CALL],
    // Functions over the whole run (the four calls and deliver); share of all instructions.
    top_self: self.rows.slice(0, top).map((r) => ({ ir_per_call: Math.round(r.ir / ITERATIONS), share: inclusive.total ? +(r.ir / inclusive.total).toFixed(4) : null, function: r.fn })),
    out_file: path.relative(root, outFile),
  };
}

export function printCallgrind(result, out = process.stdout) {
  out.write('\nInstruction counts (valgrind --tool=callgrind, per pipeline call)\n');
  if (result.skipped) { out.write(`  skipped: ${result.skipped}\n`); return; }
  out.write(`  ${result.payload} via ${result.library}\n`);
  const row = (label, ir) => out.write(`  ${label.padEnd(8)} ${ir === null || ir === undefined ? '—' : ir.toLocaleString('en-US').padStart(14)}\n`);
  for (const op of OPERATIONS) row(op, result.per_operation[op]);
  row('total', result.pipeline_per_call);
  row(ONE_CALL, result.deliver_per_call);
  out.write(`  (${ONE_CALL}: the same pipeline in one call, body in, plan out)\n`);
  out.write('  most instructions of their own (whole run, per iteration):\n');
  for (const r of result.top_self) out.write(`  ${r.ir_per_call.toLocaleString('en-US').padStart(14)}  ${(r.share * 100).toFixed(1).padStart(5)}%  ${r.function.slice(0, 140)}\n`);
  out.write(`  (full profile: callgrind_annotate ${result.out_file})\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) printCallgrind(callgrindPipeline());
