// The published package installs and runs with no compiler anywhere: the tarball carries a
// prebuilt addon for this platform and the wasm builds. We stage a copy of the source tree plus
// the build outputs (as `npm run build` lays them out), `npm pack` it, then install the tarball
// offline into an empty project with PATH holding only node and npm (no cc, c++, make, cmake),
// and use it: native by default, wasm when forced, ESM import, and the CLI through node_modules/.bin.
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const platformDir = `${process.platform}-${process.arch}`;
const scratch = mkdtempSync(path.join(tmpdir(), 'ph-install-'));
test.after(() => rmSync(scratch, { recursive: true, force: true }));

// npm's own cache (where `npm ci` left the runtime dependencies' tarballs), read before HOME is
// replaced by an empty one: the image's ~/.npmrc would otherwise leak settings into the check.
const npmCache = execFileSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
const emptyHome = path.join(scratch, 'home');
mkdirSync(emptyHome);

// A bin directory with node and npm only, so no compiler or build tool can be found.
const onlyNodeBin = path.join(scratch, 'bin');
mkdirSync(onlyNodeBin);
symlinkSync(process.execPath, path.join(onlyNodeBin, 'node'));
symlinkSync(execFileSync('which', ['npm'], { encoding: 'utf8' }).trim(), path.join(onlyNodeBin, 'npm'));

const restrictedEnv = {
  PATH: onlyNodeBin, HOME: emptyHome, npm_config_cache: npmCache,
  npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false',
};

function run(cmd, args, { cwd, env = restrictedEnv, timeout = 120000 } = {}) {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// Source files as git sees them (tracked or new, never ignored), plus the build outputs.
function stagePackage() {
  const stage = path.join(scratch, 'stage');
  const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'],
    { cwd: root, encoding: 'utf8' }).split('\0').filter(Boolean);
  for (const f of files) {
    if (existsSync(path.join(root, f))) cpSync(path.join(root, f), path.join(stage, f));
  }
  // The loader's override variables, when set, name the builds to package (a developer's own
  // build directories); otherwise the ones `npm run build` makes.
  const addon = process.env.PHONE_HANDOFF_NATIVE_PATH
    ? path.resolve(process.env.PHONE_HANDOFF_NATIVE_PATH) : path.join(root, 'build', 'native', 'phone_handoff.node');
  const wasmDist = process.env.PHONE_HANDOFF_WASM_PATH
    ? path.resolve(path.dirname(process.env.PHONE_HANDOFF_WASM_PATH), '..') : path.join(root, 'build', 'wasm', 'dist');
  assert.ok(existsSync(addon), `build the addon first (npm run build): ${addon} is missing`);
  cpSync(addon, path.join(stage, 'prebuilds', platformDir, 'phone-handoff.node'));
  for (const flavour of ['node', 'web']) {
    const from = path.join(wasmDist, flavour);
    assert.ok(existsSync(from), `build the wasm modules first (npm run build): ${from} is missing`);
    cpSync(from, path.join(stage, 'dist', 'wasm', flavour), { recursive: true });
  }
  return stage;
}

test('npm pack + offline install with no compilers: the prebuilt addon loads and parses', (t) => {
  const stage = stagePackage();
  const packed = JSON.parse(run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', scratch], { cwd: stage }))[0];
  const contents = packed.files.map((f) => f.path).sort();
  t.diagnostic(`tarball ${packed.filename}: ${packed.size} bytes packed, ${packed.unpackedSize} unpacked, ${contents.length} files`);
  t.diagnostic(`contents: ${contents.join(', ')}`);
  for (const needed of ['package.json', 'node/index.js', 'node/index.mjs', 'node/index.d.ts', 'node/index.d.mts',
    'node/browser.mjs', 'node/browser.d.mts', 'node/cli.js', 'node/lib/api.js', 'node/lib/backends.js',
    `prebuilds/${platformDir}/phone-handoff.node`, 'dist/wasm/node/phone_handoff.cjs',
    'dist/wasm/node/phone_handoff.wasm', 'dist/wasm/web/phone_handoff.mjs', 'dist/wasm/web/phone_handoff.wasm']) {
    assert.ok(contents.includes(needed), `the tarball contains ${needed}`);
  }
  for (const prefix of ['core/', 'bindings/', 'tests/', 'docs/', 'web/', 'build/', 'node/scripts/', 'CMakeLists.txt']) {
    assert.ok(!contents.some((f) => f.startsWith(prefix)), `the tarball leaves out ${prefix}`);
  }
  const manifest = JSON.parse(readFileSync(path.join(stage, 'package.json'), 'utf8'));
  assert.ok(!('node-addon-api' in (manifest.dependencies || {})), 'node-addon-api is needed to build, not to run');

  const consumer = path.join(scratch, 'consumer');
  mkdirSync(consumer);
  writeFileSync(path.join(consumer, 'package.json'), '{"name":"consumer","version":"1.0.0","private":true}\n');
  assert.deepEqual(readdirSync(onlyNodeBin).sort(), ['node', 'npm'], 'nothing but node and npm on PATH');
  run('npm', ['install', '--offline', '--no-audit', '--no-fund', path.join(scratch, packed.filename)], { cwd: consumer });
  const installed = path.join(consumer, 'node_modules', 'phone-handoff');
  assert.ok(statSync(installed).isDirectory());
  assert.ok(!existsSync(path.join(consumer, 'node_modules', 'node-addon-api')), 'node-addon-api was not installed');
  assert.ok(!existsSync(path.join(installed, 'build')), 'nothing was compiled at install');

  const body = readFileSync(path.join(root, 'tests', 'fixtures', 'vapi', 'end-of-call-report.json'), 'utf8');
  const probe = `
    const ph = require('phone-handoff');
    let parsed;
    try { parsed = ph.parse('vapi', ${JSON.stringify(body)}); } catch (err) { parsed = { thrown: err.code }; }
    console.log(JSON.stringify({ backend: ph.backend, version: ph.version, operations: ph.operations.length, parsed }));`;
  const native = JSON.parse(run('node', ['-e', probe], { cwd: consumer }));
  assert.equal(native.backend.name, 'native');
  assert.equal(native.backend.path, path.join(installed, 'prebuilds', platformDir, 'phone-handoff.node'));
  const wasm = JSON.parse(run('node', ['-e', probe], { cwd: consumer, env: { ...restrictedEnv, PHONE_HANDOFF_BACKEND: 'wasm' } }));
  assert.equal(wasm.backend.path, path.join(installed, 'dist', 'wasm', 'node', 'phone_handoff.cjs'));
  assert.deepEqual(wasm.parsed, native.parsed, 'both backends give the same answer after install');
  assert.equal(native.parsed.handoff?.source, 'vapi', `parse works after install: ${JSON.stringify(native.parsed).slice(0, 200)}`);
  assert.ok(native.parsed.handoff.transcript.length > 0);

  const esm = run('node', ['--input-type=module', '-e',
    "import { backend, operations } from 'phone-handoff'; console.log(backend.name, operations.length);"], { cwd: consumer });
  // The ES module entry exposes the same backend and the same operations as require().
  assert.ok(native.operations >= 10, `the core's export list: ${native.operations} operations`);
  assert.equal(esm, `native ${native.operations}\n`);
  const browserEntry = run('node', ['--conditions=browser', '--input-type=module', '-e',
    "import * as ph from 'phone-handoff'; console.log(typeof ph.init, ph.backend);"], { cwd: consumer });
  assert.equal(browserEntry, 'function null\n', 'the browser condition selects the init() entry');
  const bin = path.join(consumer, 'node_modules', '.bin', 'phone-handoff');
  assert.equal(run(bin, ['--version'], { cwd: consumer }), `${manifest.version}\n`);
  const fixture = path.join(root, 'tests', 'fixtures', 'vapi', 'end-of-call-report.json');
  assert.deepEqual(JSON.parse(run(bin, ['parse', '--source', 'vapi', fixture], { cwd: consumer })), native.parsed.handoff,
    'the installed CLI prints the same handoff');
});
