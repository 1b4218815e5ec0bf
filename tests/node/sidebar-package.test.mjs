// The Zendesk app package: built reproducibly, accepted by the offline validator, and the
// validator itself rejects what Zendesk rejects (blocked file types, missing logo, http:// URLs,
// symlinks, bad manifest parameters, oversize packages).
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { packageApp, collectAppFiles } from '../../web/scripts/package-app.mjs';
import { validateApp, MAX_ZIP_BYTES } from '../../web/scripts/validate-app.mjs';
import { readZip, writeZip, S_IFLNK } from '../../web/scripts/lib/zip.mjs';
import { bundleModules, dropBundledPreloads } from '../../web/scripts/lib/bundle-modules.mjs';
import { makeLogos } from '../../web/scripts/make-logos.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const wasmDir = process.env.PH_WASM_WEB_DIR || path.join(repoRoot, 'build', 'wasm', 'dist', 'sidebar');
const built = fs.existsSync(path.join(wasmDir, 'phone_handoff.wasm'));
const skip = !built && `no browser core in ${wasmDir} (build phone_handoff_wasm_sidebar)`;

function tempDir(t) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ph-sidebar-pkg-'));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// The real package's files, edited, zipped into a temp file; → the validator's errors.
function validateVariant(t, edit) {
  const files = collectAppFiles({ wasmDir });
  edit(files);
  const zipPath = path.join(tempDir(t), 'variant.zip');
  fs.writeFileSync(zipPath, writeZip([...files].map(([name, value]) => (value && value.data ? { name, ...value } : { name, data: value }))));
  return validateApp(zipPath).errors;
}

const editManifest = (files, change) => {
  const manifest = JSON.parse(files.get('manifest.json'));
  change(manifest);
  files.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
};

test('the package is reproducible, complete and valid', { skip }, (t) => {
  const first = packageApp({ wasmDir, outDir: tempDir(t) });
  const second = packageApp({ wasmDir, outDir: tempDir(t) });
  assert.deepEqual(fs.readFileSync(first.zipPath), fs.readFileSync(second.zipPath));
  const { errors, warnings, bytes, files } = validateApp(first.zipPath);
  assert.deepEqual(errors, []);
  assert.deepEqual(warnings, []);
  for (const name of ['manifest.json', 'translations/en.json', 'assets/iframe.html', 'assets/app.js',
    'assets/phone_handoff.mjs', 'assets/phone_handoff.wasm', 'assets/wasm-call.js', 'assets/i18n/en.json',
    'assets/logo.png', 'assets/logo-small.png']) {
    assert.ok(files.includes(name), `${name} is packaged`);
  }
  // The marshalling is node/lib/wasm-call.js byte for byte, not a copy that could drift.
  const entries = new Map(readZip(fs.readFileSync(first.zipPath)).map((e) => [e.name, e.data]));
  assert.deepEqual(entries.get('assets/wasm-call.js'), fs.readFileSync(path.join(repoRoot, 'node', 'lib', 'wasm-call.js')));
  // The browser glue has no eval, so a CSP needs only 'wasm-unsafe-eval'.
  assert.doesNotMatch(entries.get('assets/phone_handoff.mjs').toString(), /\beval\(|new Function/);
  const core = gzipSync(Buffer.concat([entries.get('assets/phone_handoff.mjs'), entries.get('assets/phone_handoff.wasm')]), { level: 9 }).length;
  console.log(`# sidebar: zip ${bytes} bytes; wasm+glue gzipped ${core} bytes`);
  assert.ok(bytes < MAX_ZIP_BYTES / 4, `the zip (${bytes} bytes) stays well under 2 MB`);
  // The unpacked copy matches the zip.
  assert.deepEqual(fs.readFileSync(path.join(first.dir, 'assets', 'app.js')), entries.get('assets/app.js'));
  // The app's modules travel as one script, and the page no longer asks for them one by one.
  const app = entries.get('assets/app.js').toString();
  for (const module of ['zaf-client.js', 'core-loader.js', 'i18n.js', 'dom.js', 'format.js', 'summary-view.js', 'transcript-view.js']) {
    assert.ok(!files.includes(`assets/${module}`), `${module} is in the bundle, not beside it`);
    assert.match(app, new RegExp(`^// ---- ${module.replace('.', '\\.')}$`, 'm'));
  }
  assert.doesNotMatch(app, /^\s*(import\s*\{|export\s)/m);
  const html = entries.get('assets/iframe.html').toString();
  assert.deepEqual([...html.matchAll(/rel="modulepreload" href="([^"]+)"/g)].map((m) => m[1]), ['app.js', 'phone_handoff.mjs']);
});

test('the bundler joins modules in dependency order and refuses forms it does not handle', () => {
  const sources = {
    'main.js': "import { twice, name as label } from './b.js';\nimport { one } from './a.js';\nexport const out = `${label}:${twice(one)}`;\nglobalThis.bundled = out;",
    'a.js': 'export const one = 1;',
    'b.js': "import { one } from './a.js';\nexport function twice(n) { return 2 * n + one - 1; }\nexport const name = 'b';",
  };
  const { text, files } = bundleModules('main.js', (file) => sources[file]);
  assert.deepEqual(files, ['a.js', 'b.js', 'main.js']);
  new Function(text)();
  assert.equal(globalThis.bundled, 'b:2');
  delete globalThis.bundled;
  for (const bad of ["import x from './a.js';", "export default 1;", "export { one };", "import * as a from './a.js';"]) {
    assert.throws(() => bundleModules('main.js', (file) => (file === 'main.js' ? bad : sources[file])), /does not handle/, bad);
  }
  assert.throws(() => bundleModules('a.js', (file) => ({ 'a.js': "import { b } from './b.js';", 'b.js': "import { a } from './a.js';" })[file]), /import cycle/);
  const html = '<link rel="modulepreload" href="main.js">\n<link rel="modulepreload" href="a.js">\n<link rel="modulepreload" href="x.mjs">';
  assert.equal(dropBundledPreloads(html, files, 'main.js'), '<link rel="modulepreload" href="main.js">\n<link rel="modulepreload" href="x.mjs">');
});

test('the committed logos are what make-logos.mjs draws, at Zendesk\'s sizes', () => {
  const logos = makeLogos();
  for (const [name, size] of [['logo.png', 320], ['logo-small.png', 128]]) {
    const committed = fs.readFileSync(path.join(repoRoot, 'web', 'assets', name));
    assert.deepEqual(committed, logos[name], `${name} is up to date`);
    assert.equal(committed.readUInt32BE(16), size);
    assert.equal(committed.readUInt32BE(20), size);
  }
  assert.equal(logos['logo-small.png'][25], 6, 'logo-small.png is RGBA (transparency)');
});

test('the validator rejects a .sh file, a missing logo and an http:// URL', { skip }, (t) => {
  const sh = validateVariant(t, (files) => files.set('assets/setup.sh', Buffer.from('echo hi\n')));
  assert.ok(sh.some((e) => /assets\/setup\.sh: \.sh files are not allowed/.test(e)), sh.join('\n'));
  const renamed = validateVariant(t, (files) => files.set('assets/data.txt', Buffer.from('#!/bin/sh\necho hi\n')));
  assert.ok(renamed.some((e) => /data\.txt: looks like a shell script/.test(e)), renamed.join('\n'));
  const archive = validateVariant(t, (files) => files.set('assets/extra.zip', writeZip([{ name: 'a', data: Buffer.from('a') }])));
  assert.ok(archive.some((e) => /extra\.zip/.test(e)), archive.join('\n'));

  const noLogo = validateVariant(t, (files) => files.delete('assets/logo-small.png'));
  assert.ok(noLogo.includes('assets/logo-small.png is required'), noLogo.join('\n'));
  const wrongSize = validateVariant(t, (files) => files.set('assets/logo.png', makeLogos()['logo-small.png']));
  assert.ok(wrongSize.some((e) => /logo\.png: must be 320×320, is 128×128/.test(e)), wrongSize.join('\n'));

  const insecure = validateVariant(t, (files) => files.set('assets/app.js',
    Buffer.concat([files.get('assets/app.js'), Buffer.from("\nfetch('http://tracker.example/x');\n")])));
  assert.ok(insecure.some((e) => /assets\/app\.js: insecure URL http:\/\/tracker\.example\/x/.test(e)), insecure.join('\n'));
});

test('the validator rejects symlinks, bad parameters, bad locations and missing translations', { skip }, (t) => {
  const link = validateVariant(t, (files) => files.set('assets/link.js', { data: Buffer.from('app.js'), mode: S_IFLNK | 0o777 }));
  assert.ok(link.includes('assets/link.js: symlinks are not allowed'), link.join('\n'));

  const params = validateVariant(t, (files) => editManifest(files, (m) => {
    m.parameters.push({ name: 'apiToken', type: 'text' });
    m.parameters.push({ name: 'sunshineKey', type: 'text', secure: true, default: 'x', scopes: ['header'] });
    m.parameters.push({ name: 'sunshineSecret', type: 'text', secure: true });
    m.parameters.push({ name: 'odd', type: 'colour' });
  }));
  for (const expected of [
    'parameter "apiToken" looks like a secret and must be "secure": true',
    'secure parameter "sunshineKey" may not have a default',
    'secure parameter "sunshineSecret" needs "scopes"',
    'parameter "odd" has invalid type "colour"',
    'parameter "odd" needs "app.parameters.odd.label"',
  ]) assert.ok(params.some((e) => e.includes(expected)), `${expected}\n${params.join('\n')}`);

  const location = validateVariant(t, (files) => editManifest(files, (m) => {
    m.location.support.ticket_sidebar_typo = 'assets/iframe.html';
    m.location.support.ticket_sidebar.url = 'assets/missing.html';
    delete m.author;
    m.frameworkVersion = '1.0';
  }));
  for (const expected of ['unknown support location "ticket_sidebar_typo"', 'points to assets/missing.html',
    '"author" must be an object', '"frameworkVersion" must be "2.0"']) {
    assert.ok(location.some((e) => e.includes(expected)), `${expected}\n${location.join('\n')}`);
  }

  const translations = validateVariant(t, (files) => {
    files.set('translations/en.json', Buffer.from('{"app":{}}'));
    files.set('translations/english.json', Buffer.from('{}'));
  });
  assert.ok(translations.includes('translations/en.json: "app.name" is required'), translations.join('\n'));
  assert.ok(translations.some((e) => e.includes('translations/english.json: locale file names')), translations.join('\n'));
});

test('the validator rejects an oversize package', { skip }, (t) => {
  // Random bytes do not compress, so the zip really exceeds the limit.
  const noise = randomBytes(MAX_ZIP_BYTES + 1024);
  const big = validateVariant(t, (files) => files.set('assets/noise.dat', noise));
  assert.ok(big.some((e) => /at most 2097152/.test(e)), big.join('\n'));
});
