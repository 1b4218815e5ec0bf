#!/usr/bin/env node
// The developer entry points behind `npm test`, `npm start` and `npm run build`. Each installs what
// is missing (Debian packages when run as root, npm packages), builds what is stale (CMake decides),
// then runs. `test` fails when any suite — native Catch2, sanitized Catch2, wasm Catch2, node —
// executed zero tests, because a suite that silently runs nothing is the failure we fear most
// (Debian's emcmake can make ctest see no wasm tests at all).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, copyFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const jobs = process.env.PH_JOBS || '2';

const APT_NEEDS = [
  ['emscripten', '/usr/bin/emcc'],
  ['nlohmann-json3-dev', '/usr/include/nlohmann/json.hpp'],
  ['catch2', '/usr/include/catch2/catch.hpp'],
  ['chromium', '/usr/bin/chromium'],
  ['ninja-build', '/usr/bin/ninja'],
  ['cmake', '/usr/bin/cmake'],
  ['g++', '/usr/bin/g++'],
  ['postgresql', '/usr/lib/postgresql'],
];

function log(msg) { process.stderr.write(`[phone-handoff] ${msg}\n`); }

function run(cmd, args, opts = {}) {
  log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: opts.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit', encoding: 'utf8', env: { ...process.env, ...(opts.env || {}) } });
  if (opts.capture) { process.stdout.write(r.stdout || ''); process.stderr.write(r.stderr || ''); }
  if (r.error) throw new Error(`${cmd} could not start: ${r.error.message}`);
  if (r.status !== 0 && !opts.allowFailure) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
  return r;
}

function ensureSystemPackages() {
  const missing = APT_NEEDS.filter(([, file]) => !existsSync(file)).map(([pkg]) => pkg);
  if (missing.length === 0) return;
  if (process.getuid && process.getuid() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}. Install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  run('apt-get', ['update', '-qq']);
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { DEBIAN_FRONTEND: 'noninteractive' } });
}

function ensureNodeModules() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const stale = !existsSync(marker) || statSync(path.join(root, 'package.json')).mtimeMs > statSync(marker).mtimeMs;
  if (!stale) return;
  run('npm', [existsSync(path.join(root, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund']);
}

function configure(dir, args, { emscripten = false } = {}) {
  if (existsSync(path.join(root, dir, 'CMakeCache.txt'))) return;
  const base = ['-S', '.', '-B', dir, '-G', 'Ninja', ...args];
  if (emscripten) run('emcmake', ['cmake', ...base]);
  else run('cmake', base);
}

function build() {
  ensureSystemPackages();
  ensureNodeModules();
  configure('build/native', ['-DPH_BUILD_ADDON=ON']);
  run('cmake', ['--build', 'build/native', '-j', jobs]);
  configure('build/asan', ['-DPH_SANITIZE=ON', '-DCMAKE_BUILD_TYPE=RelWithDebInfo']);
  run('cmake', ['--build', 'build/asan', '-j', jobs, '--target', 'phone_handoff_tests']);
  configure('build/wasm', [], { emscripten: true });
  run('cmake', ['--build', 'build/wasm', '-j', jobs]);
  // What the package ships: the addon as a prebuild for this platform, and both wasm builds.
  const prebuildDir = path.join(root, 'prebuilds', `${process.platform}-${process.arch}`);
  mkdirSync(prebuildDir, { recursive: true });
  copyFileSync(path.join(root, 'build/native/phone_handoff.node'), path.join(prebuildDir, 'phone-handoff.node'));
  for (const flavour of ['node', 'web']) {
    const from = path.join(root, 'build/wasm/dist', flavour);
    const to = path.join(root, 'dist/wasm', flavour);
    mkdirSync(to, { recursive: true });
    for (const f of readdirSync(from)) copyFileSync(path.join(from, f), path.join(to, f));
  }
  // The Zendesk sidebar app (dist/phone-handoff-app.zip), which the sandbox page also shows.
  run('node', [path.join(root, 'web/scripts/package-app.mjs')]);
}

// ---- suites ----------------------------------------------------------------------------------------
function ctestSuite(name, dir) {
  const r = run('ctest', ['--test-dir', dir, '--output-on-failure', '-j', jobs], { capture: true, allowFailure: true });
  const m = /tests passed, (\d+) tests? failed out of (\d+)/.exec(r.stdout || '');
  const total = m ? Number(m[2]) : 0;
  const failed = m ? Number(m[1]) : 0;
  return { name, total, failed, passed: total - failed, ok: r.status === 0 && total > 0 };
}

function nodeSuite() {
  const dir = path.join(root, 'tests/node');
  const files = readdirSync(dir).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => path.join('tests/node', f));
  if (files.length === 0) return { name: 'node', total: 0, failed: 0, passed: 0, ok: false };
  const r = run('node', ['--test', '--test-reporter=spec', '--test-reporter-destination=stdout', '--test-reporter=tap', '--test-reporter-destination=build/node-tests.tap', ...files], { allowFailure: true });
  const tap = existsSync(path.join(root, 'build/node-tests.tap')) ? readFileSync(path.join(root, 'build/node-tests.tap'), 'utf8') : '';
  const num = (k) => Number((new RegExp(`^# ${k} (\\d+)`, 'm').exec(tap) || [0, 0])[1]);
  const total = num('tests');
  const failed = num('fail') + num('cancelled');
  return { name: 'node', total, failed, passed: num('pass'), ok: r.status === 0 && total > 0 };
}

function test() {
  build();
  const suites = [
    ctestSuite('native (Catch2)', 'build/native'),
    ctestSuite('sanitized (Catch2, ASan+UBSan)', 'build/asan'),
    ctestSuite('wasm (Catch2 in node)', 'build/wasm'),
    nodeSuite(),
  ];
  let passed = 0; let failed = 0; let bad = false;
  process.stdout.write('\nSuite summary\n');
  for (const s of suites) {
    passed += s.passed; failed += s.failed;
    const why = s.total === 0 ? '  <-- ran ZERO tests' : (s.ok ? '' : '  <-- FAILED');
    if (!s.ok) bad = true;
    process.stdout.write(`  ${s.name.padEnd(34)} ${String(s.passed).padStart(5)} passed ${String(s.failed).padStart(4)} failed${why}\n`);
  }
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  if (bad) process.exit(1);
}

// npm start: the webhook service with the sandbox Zendesk and the embedded store, no credentials.
function start() {
  build();
  log('starting the webhook service against the sandbox Zendesk; press Ctrl-C to stop');
  run('node', [path.join(root, 'node/cli.js'), 'serve', '--sandbox', ...process.argv.slice(3)]);
}

const command = process.argv[2];
try {
  if (command === 'build') build();
  else if (command === 'test') test();
  else if (command === 'start') start();
  else { log('usage: node node/scripts/dev.mjs build|test|start'); process.exit(2); }
} catch (err) {
  log(`error: ${err.message}`);
  process.exit(1);
}
