// Builds the Zendesk app package: dist/phone-handoff-app.zip (what is uploaded as a private app)
// and the same files unpacked in dist/phone-handoff-app/ (what a local host or test serves).
//   web/manifest.json, web/translations/*.json, web/assets/*      the app, its ES modules joined
//                                                                  into one assets/app.js
//   assets/phone_handoff.mjs + .wasm                               the core's sidebar build
//   assets/wasm-call.js                                            node/lib/wasm-call.js, as is
//   assets/i18n/<locale>.json                                      the translations, for the UI
// The sidebar build (only the `conversation` operation, sized for the browser) comes from
// build/wasm/dist/sidebar (override: --wasm-dir DIR or PH_WASM_WEB_DIR; the full browser build in
// build/wasm/dist/web works too, three times larger):
//   emcmake cmake -S . -B build/wasm -G Ninja && cmake --build build/wasm --target phone_handoff_wasm_sidebar
// Refuses symlinks; entries are sorted and time-stamped identically, so the zip is reproducible.
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleModules, dropBundledPreloads } from './lib/bundle-modules.mjs';
import { writeZip } from './lib/zip.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function filesUnder(dir, base = dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) throw new Error(`${path.relative(repoRoot, full)} is a symlink; Zendesk rejects symlinks in an app`);
    if (stat.isDirectory()) out.push(...filesUnder(full, base));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

function readRegular(file) {
  if (lstatSync(file).isSymbolicLink()) throw new Error(`${file} is a symlink; Zendesk rejects symlinks in an app`);
  return readFileSync(file);
}

export function collectAppFiles({ root = repoRoot, wasmDir } = {}) {
  const web = path.join(root, 'web');
  const wasm = wasmDir || process.env.PH_WASM_WEB_DIR || path.join(root, 'build', 'wasm', 'dist', 'sidebar');
  const files = new Map();
  files.set('manifest.json', readRegular(path.join(web, 'manifest.json')));
  for (const name of filesUnder(path.join(web, 'translations'))) {
    const data = readRegular(path.join(web, 'translations', name));
    files.set(`translations/${name}`, data);
    files.set(`assets/i18n/${name}`, data);
  }
  for (const name of filesUnder(path.join(web, 'assets'))) files.set(`assets/${name}`, readRegular(path.join(web, 'assets', name)));
  // One script for the app instead of its eight modules (see lib/bundle-modules.mjs).
  const bundle = bundleModules('app.js', (name) => files.get(`assets/${name}`).toString('utf8'));
  for (const name of bundle.files) files.delete(`assets/${name}`);
  files.set('assets/app.js', Buffer.from(bundle.text));
  files.set('assets/iframe.html', Buffer.from(dropBundledPreloads(files.get('assets/iframe.html').toString('utf8'), bundle.files, 'app.js')));
  for (const name of ['phone_handoff.mjs', 'phone_handoff.wasm']) {
    const file = path.join(wasm, name);
    if (!existsSync(file)) {
      throw new Error(`${file} is missing: build the sidebar core first with\n` +
        '  emcmake cmake -S . -B build/wasm -G Ninja && cmake --build build/wasm -j1 --target phone_handoff_wasm_sidebar');
    }
    files.set(`assets/${name}`, readRegular(file));
  }
  files.set('assets/wasm-call.js', readRegular(path.join(root, 'node', 'lib', 'wasm-call.js')));
  return new Map([...files.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function packageApp({ root = repoRoot, wasmDir, outDir = path.join(root, 'dist') } = {}) {
  const files = collectAppFiles({ root, wasmDir });
  const zip = writeZip([...files].map(([name, data]) => ({ name, data })));
  const zipPath = path.join(outDir, 'phone-handoff-app.zip');
  const unpacked = path.join(outDir, 'phone-handoff-app');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(zipPath, zip);
  rmSync(unpacked, { recursive: true, force: true });
  for (const [name, data] of files) {
    mkdirSync(path.dirname(path.join(unpacked, name)), { recursive: true });
    writeFileSync(path.join(unpacked, name), data);
  }
  return { zipPath, dir: unpacked, bytes: zip.length, files: [...files.keys()] };
}

function argument(name) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    const result = packageApp({ wasmDir: argument('--wasm-dir'), outDir: argument('--out-dir') });
    console.log(`${path.relative(process.cwd(), result.zipPath)}: ${result.bytes} bytes, ${result.files.length} files`);
  } catch (error) {
    console.error(`package-app: ${error.message}`);
    process.exitCode = 1;
  }
}
