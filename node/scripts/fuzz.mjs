#!/usr/bin/env node
// `npm run fuzz [-- --seconds N] [-- --target NAME]…`: builds the libFuzzer targets of
// tests/fuzz/ with clang (ASan + UBSan) in build/fuzz, seeds each from the test payloads
// (tests/fuzz/corpus.mjs), runs each for a bounded time and fails on the first crash, printing
// where the crash input is and how to replay and minimise it. The corpus each run grows is kept
// in build/fuzz/corpus/<target>/, so later runs start from what earlier ones found.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeSeeds } from '../../tests/fuzz/corpus.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const buildDir = path.join(root, 'build', 'fuzz');
// Debian packages the fuzz build needs beyond the normal build (clang 14 ships libFuzzer in
// libclang-rt-14-dev).
const hasLibFuzzer = () => {
  const base = '/usr/lib/llvm-14/lib/clang';
  return existsSync(base) && readdirSync(base).some((v) => existsSync(path.join(base, v, 'lib', 'linux', `libclang_rt.fuzzer-${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}.a`)));
};
const APT_NEEDS = [['clang', () => existsSync('/usr/bin/clang++')], ['libclang-rt-14-dev', hasLibFuzzer]];

function usage(message) {
  if (message) process.stderr.write(`fuzz: ${message}\n`);
  process.stderr.write('usage: npm run fuzz [-- --seconds N] [--target NAME ...] [--jobs N]\n' +
    '  --seconds N   time per target (default 20)\n' +
    `  --target NAME one target (${allTargets().map((t) => t.replace(/^fuzz_/, '')).join(', ')}; repeatable)\n` +
    '  --jobs N      build parallelism (default 1: the machine is shared)\n');
  process.exit(2);
}

function parseArgs(argv) {
  const options = { seconds: 20, targets: [], jobs: '1' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : usage(`${arg} needs a value`));
    if (arg === '--seconds') {
      options.seconds = Number(value());
      if (!Number.isInteger(options.seconds) || options.seconds < 1) usage('--seconds must be a whole number ≥ 1');
    } else if (arg === '--target') {
      const name = value();
      options.targets.push(name.startsWith('fuzz_') ? name : `fuzz_${name}`);
    } else if (arg === '--jobs') {
      options.jobs = value();
    } else if (arg === '--help' || arg === '-h') {
      usage();
    } else {
      usage(`unknown argument ${arg}`);
    }
  }
  return options;
}

function log(message) { process.stderr.write(`[fuzz] ${message}\n`); }

function run(cmd, args, env = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

function build(options) {
  const missing = APT_NEEDS.filter(([, present]) => !present()).map(([pkg]) => pkg);
  if (missing.length) throw new Error(`missing Debian packages: ${missing.join(' ')} (apt-get install -y ${missing.join(' ')})`);
  // Re-running configure is cheap and keeps the options right even in an old build/fuzz.
  run('cmake', ['-S', '.', '-B', buildDir, '-G', 'Ninja', '-DCMAKE_BUILD_TYPE=RelWithDebInfo',
    '-DPH_BUILD_FUZZERS=ON', '-DPH_BUILD_TESTS=OFF'], { CC: 'clang', CXX: 'clang++' });
  const targets = options.targets.length ? options.targets : ['phone_handoff_fuzzers'];
  run('cmake', ['--build', buildDir, '-j', options.jobs, '--target', ...targets]);
}

function allTargets() {
  return readdirSync(path.join(root, 'tests', 'fuzz'))
    .filter((f) => /^fuzz_.*\.cpp$/.test(f)).map((f) => f.replace(/\.cpp$/, '')).sort();
}

function newestFile(dir) {
  if (!existsSync(dir)) return null;
  const files = readdirSync(dir).map((f) => path.join(dir, f)).filter((f) => statSync(f).isFile());
  files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return files[0] || null;
}

// One bounded run of one target; returns { target, ok, stats, crash, log }.
function fuzz(target, seconds, seedDir) {
  const binary = path.join(buildDir, 'fuzzers', target);
  const corpus = path.join(buildDir, 'corpus', target);
  const crashes = path.join(buildDir, 'crashes', target);
  const logFile = path.join(buildDir, 'logs', `${target}.log`);
  for (const dir of [corpus, crashes, path.dirname(logFile)]) mkdirSync(dir, { recursive: true });
  // -max_len: twice the largest seed (tests/fuzz/corpus.mjs), so a short run stays on many small mutations.
  const args = [`-max_total_time=${seconds}`, '-max_len=65536', '-timeout=10', '-rss_limit_mb=2048', '-print_final_stats=1',
    `-artifact_prefix=${crashes}/`, corpus, path.join(seedDir, target)];
  log(`${target}: ${seconds} s`);
  const r = spawnSync(binary, args, {
    cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024,
    // A stall (over -timeout) must end the run, not the CI job: a wall-clock cap on top.
    timeout: (seconds + 120) * 1000,
    env: { ...process.env, ASAN_OPTIONS: 'abort_on_error=1:detect_leaks=1', UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1' },
  });
  const output = `${r.stdout || ''}${r.stderr || ''}`;
  writeFileSync(logFile, output);
  const stats = Object.fromEntries([...output.matchAll(/^stat::(\w+):\s*(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
  const written = output.match(/Test unit written to (\S+)/);
  const crash = written ? path.resolve(root, written[1]) : (r.status !== 0 ? newestFile(crashes) : null);
  return { target, ok: r.status === 0 && !r.error, status: r.status, signal: r.signal, stats, crash, log: logFile };
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const known = allTargets();
  for (const t of options.targets) if (!known.includes(t)) usage(`no fuzz target ${t} (known: ${known.join(', ')})`);
  build(options);
  const seedDir = path.join(buildDir, 'seeds');
  const seedCounts = writeSeeds(seedDir);
  const targets = options.targets.length ? options.targets : known;
  const results = [];
  for (const target of targets) {
    const result = fuzz(target, options.seconds, seedDir);
    results.push(result);
    const s = result.stats;
    const line = `${target.padEnd(16)} ${result.ok ? 'ok   ' : 'CRASH'} seeds ${String(seedCounts[target] ?? 0).padStart(3)}` +
      `  runs ${String(s.number_of_executed_units ?? '?').padStart(9)}  exec/s ${String(s.average_exec_per_sec ?? '?').padStart(7)}` +
      `  peak ${s.peak_rss_mb ?? '?'} MB`;
    console.log(line);
    if (!result.ok) {
      console.log(`  log:    ${path.relative(root, result.log)}`);
      if (result.crash) {
        const bin = path.relative(root, path.join(buildDir, 'fuzzers', target));
        console.log(`  input:  ${path.relative(root, result.crash)}`);
        console.log(`  replay: ${bin} ${path.relative(root, result.crash)}`);
        console.log(`  shrink: ${bin} -minimize_crash=1 -max_total_time=60 ${path.relative(root, result.crash)}`);
      } else {
        console.log(`  the fuzzer exited with ${result.signal || result.status} without saving an input (see the log)`);
      }
    }
  }
  const failed = results.filter((r) => !r.ok);
  if (failed.length) {
    console.log(`\n${failed.length} of ${results.length} fuzz target(s) crashed: add each input as a regression (tests/core/test_fuzz_regressions.cpp).`);
    process.exit(1);
  }
  console.log(`\nall ${results.length} fuzz targets ran ${options.seconds} s each without a crash`);
}

try {
  main();
} catch (err) {
  process.stderr.write(`fuzz: ${err.message}\n`);
  process.exit(1);
}
