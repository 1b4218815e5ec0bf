// Checks a Zendesk app package (a zip, or a directory laid out like one) against Zendesk's rules,
// offline. `zcli apps:validate` needs an account; these rules come from Zendesk's own validator
// (the zendesk_apps_support gem: manifest.rb, parameter.rb, location.rb, translations.rb,
// mime.rb, marketplace.rb, requests.rb, secure_settings.rb) and the private-app upload limit.
// Usage: node web/scripts/validate-app.mjs dist/phone-handoff-app.zip   (exit 1 on errors)
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readZip } from './lib/zip.mjs';

export const MAX_ZIP_BYTES = 2 * 1024 * 1024;
const REQUIRED_FILES = ['manifest.json', 'translations/en.json', 'assets/logo.png', 'assets/logo-small.png'];
const PARAMETER_TYPES = ['text', 'checkbox', 'url', 'number', 'multiline', 'hidden', 'oauth', 'mtls'];
const SECURE_SCOPES = ['header', 'body', 'url', 'jwt_secret_key', 'jwt_claim', 'basic_auth_username', 'basic_auth_password'];
const LOCATIONS = {
  support: ['top_bar', 'nav_bar', 'ticket_sidebar', 'new_ticket_sidebar', 'user_sidebar', 'organization_sidebar',
    'background', 'modal', 'ticket_editor', 'system_top_bar', 'custom_object_record_sidebar'],
  sell: ['top_bar', 'note_editor', 'deal_card', 'lead_card', 'person_card', 'company_card', 'background', 'modal'],
  chat: ['chat_sidebar', 'background', 'modal'],
};
// mime.rb's block list, by extension; the magic numbers below catch renamed files.
const BLOCKED_EXTENSIONS = ['rar', 'zip', 'gz', 'gzip', 'tgz', 'pdf', 'doc', 'docx', 'avi', 'bin', 'bz', 'bz2', 'csh', 'sh',
  'jar', 'mp3', 'mpeg', 'mpg', 'odt', 'ppt', 'pptx', 'xls', 'xlsx', '7z', 'exe'];
const MAGIC = [
  ['zip', [0x50, 0x4b, 0x03, 0x04]], ['gzip', [0x1f, 0x8b]], ['pdf', [0x25, 0x50, 0x44, 0x46]],
  ['rar', [0x52, 0x61, 0x72, 0x21]], ['7z', [0x37, 0x7a, 0xbc, 0xaf]], ['bzip2', [0x42, 0x5a, 0x68]],
  ['executable (ELF)', [0x7f, 0x45, 0x4c, 0x46]], ['shell script', [0x23, 0x21]],
];
const SECRET_NAME = /(token|key|pwd|password|secret)/i;
const SECRET_TEXT = [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, /\bAKIA[0-9A-Z]{16}\b/, /\bxox[abpr]-[0-9A-Za-z-]{10,}/, /\bsk_live_[0-9A-Za-z]{16,}/];
const SCRIPT_FILE = /\.(m?js|html?)$/i;

function readDirectory(dir) {
  const entries = [];
  const walk = (sub) => {
    for (const name of readdirSync(path.join(dir, sub)).sort()) {
      const rel = sub ? `${sub}/${name}` : name;
      const stat = lstatSync(path.join(dir, rel));
      if (stat.isSymbolicLink()) entries.push({ name: rel, data: Buffer.alloc(0), isSymlink: true });
      else if (stat.isDirectory()) walk(rel);
      else entries.push({ name: rel, data: readFileSync(path.join(dir, rel)), isSymlink: false });
    }
  };
  walk('');
  return entries;
}

function parseJson(entry, errors) {
  try {
    return JSON.parse(entry.data.toString('utf8'));
  } catch (error) {
    errors.push(`${entry.name}: not valid JSON (${error.message})`);
    return null;
  }
}

function checkManifest(manifest, files, errors, warnings) {
  if (!manifest || typeof manifest !== 'object') return;
  const author = manifest.author;
  if (!author || typeof author !== 'object' || !author.name || !author.email) {
    errors.push('manifest.json: "author" must be an object with "name" and "email"');
  }
  if (typeof manifest.defaultLocale !== 'string' || !manifest.defaultLocale) errors.push('manifest.json: "defaultLocale" is required');
  else if (!files.has(`translations/${manifest.defaultLocale}.json`)) {
    errors.push(`manifest.json: defaultLocale "${manifest.defaultLocale}" has no translations/${manifest.defaultLocale}.json`);
  }
  if (!manifest.version) warnings.push('manifest.json: "version" is missing');
  const requirementsOnly = manifest.requirementsOnly === true || manifest.marketingOnly === true;
  if (!requirementsOnly) {
    if (manifest.frameworkVersion !== '2.0') errors.push('manifest.json: "frameworkVersion" must be "2.0"');
    if (!manifest.location || typeof manifest.location !== 'object') errors.push('manifest.json: "location" is required');
  }
  for (const [product, locations] of Object.entries(manifest.location || {})) {
    if (!LOCATIONS[product]) { errors.push(`manifest.json: unknown product "${product}" in location`); continue; }
    for (const [name, spec] of Object.entries(locations || {})) {
      if (!LOCATIONS[product].includes(name)) { errors.push(`manifest.json: unknown ${product} location "${name}"`); continue; }
      const url = typeof spec === 'string' ? spec : spec && spec.url;
      if (typeof url !== 'string' || !url) errors.push(`manifest.json: location ${product}.${name} needs a url`);
      else if (/^[a-z][a-z0-9+.-]*:/i.test(url)) {
        if (!/^https:\/\//i.test(url)) errors.push(`manifest.json: location ${product}.${name} url must be https or a file in assets/`);
      } else if (!files.has(url)) errors.push(`manifest.json: location ${product}.${name} points to ${url}, which is not in the package`);
    }
  }
  const parameters = manifest.parameters === undefined ? [] : manifest.parameters;
  if (!Array.isArray(parameters)) { errors.push('manifest.json: "parameters" must be an array'); return; }
  const seen = new Set();
  for (const p of parameters) {
    const name = p && p.name;
    if (typeof name !== 'string' || !name) { errors.push('manifest.json: every parameter needs a "name"'); continue; }
    if (seen.has(name)) errors.push(`manifest.json: parameter "${name}" is declared twice`);
    seen.add(name);
    if (!PARAMETER_TYPES.includes(p.type)) errors.push(`manifest.json: parameter "${name}" has invalid type "${p.type}" (one of ${PARAMETER_TYPES.join(', ')})`);
    if (p.secure === true) {
      if ('default' in p) errors.push(`manifest.json: secure parameter "${name}" may not have a default`);
      if (!Array.isArray(p.scopes) || p.scopes.length === 0) errors.push(`manifest.json: secure parameter "${name}" needs "scopes"`);
      else for (const scope of p.scopes) {
        if (!SECURE_SCOPES.includes(scope)) errors.push(`manifest.json: secure parameter "${name}" has invalid scope "${scope}"`);
      }
    } else if (SECRET_NAME.test(name) && p.type !== 'oauth' && p.type !== 'hidden') {
      errors.push(`manifest.json: parameter "${name}" looks like a secret and must be "secure": true`);
    }
  }
}

function checkTranslations(manifest, files, errors) {
  for (const name of files.keys()) {
    if (!name.startsWith('translations/')) continue;
    if (!/^translations\/[a-z]{2}(-[A-Z]{2})?\.json$/.test(name)) errors.push(`${name}: locale file names must be xx.json or xx-YY.json`);
  }
  const en = files.get('translations/en.json');
  if (!en) return;
  const strings = parseJson(en, errors);
  if (!strings) return;
  const app = strings.app || {};
  if (typeof app.name !== 'string' || !app.name) errors.push('translations/en.json: "app.name" is required');
  if (manifest && manifest.private === false) {
    for (const key of ['short_description', 'long_description', 'installation_instructions']) {
      if (typeof app[key] !== 'string' || !app[key]) errors.push(`translations/en.json: a public app needs "app.${key}"`);
    }
  }
  for (const p of (manifest && Array.isArray(manifest.parameters) ? manifest.parameters : [])) {
    if (p && p.type !== 'hidden' && !(app.parameters && app.parameters[p.name] && app.parameters[p.name].label)) {
      errors.push(`translations/en.json: parameter "${p && p.name}" needs "app.parameters.${p && p.name}.label"`);
    }
  }
}

function checkFile(entry, errors) {
  const { name, data } = entry;
  if (entry.isSymlink) { errors.push(`${name}: symlinks are not allowed`); return; }
  if (name.startsWith('/') || name.split('/').includes('..')) errors.push(`${name}: unsafe path`);
  const extension = (name.match(/\.([^./]+)$/) || [])[1];
  if (extension && BLOCKED_EXTENSIONS.includes(extension.toLowerCase())) errors.push(`${name}: .${extension} files are not allowed in a Zendesk app`);
  for (const [kind, magic] of MAGIC) {
    if (magic.every((byte, i) => data[i] === byte)) errors.push(`${name}: looks like a ${kind} file, which is not allowed in a Zendesk app`);
  }
  if (SCRIPT_FILE.test(name)) {
    const text = data.toString('utf8');
    const match = /http:\/\/[^\s'"`)<>]*/i.exec(text);
    if (match) errors.push(`${name}: insecure URL ${match[0]} (use https)`);
  }
  if (!/\.(png|jpe?g|gif|wasm|ico|woff2?)$/i.test(name)) {
    const text = data.toString('utf8');
    for (const pattern of SECRET_TEXT) if (pattern.test(text)) errors.push(`${name}: looks like it contains a secret (${pattern.source})`);
  }
}

// PNG width/height from the IHDR chunk.
function pngSize(data) {
  if (data.length < 24 || data.readUInt32BE(0) !== 0x89504e47) return null;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

function checkLogos(files, errors) {
  for (const [name, size] of [['assets/logo.png', 320], ['assets/logo-small.png', 128]]) {
    const entry = files.get(name);
    if (!entry) continue;
    const dims = pngSize(entry.data);
    if (!dims) errors.push(`${name}: not a PNG`);
    else if (dims.width !== size || dims.height !== size) errors.push(`${name}: must be ${size}×${size}, is ${dims.width}×${dims.height}`);
  }
}

// → {errors: [...], warnings: [...], bytes, files: [...]}
export function validateApp(target) {
  const errors = [];
  const warnings = [];
  const isDirectory = statSync(target).isDirectory();
  let entries;
  let bytes;
  if (isDirectory) {
    entries = readDirectory(target);
    bytes = entries.reduce((n, e) => n + e.data.length, 0);
  } else {
    const zip = readFileSync(target);
    bytes = zip.length;
    entries = readZip(zip).filter((e) => !e.isDirectory);
  }
  if (bytes > MAX_ZIP_BYTES) errors.push(`the package is ${bytes} bytes; a private app may be at most ${MAX_ZIP_BYTES}`);
  else if (bytes > MAX_ZIP_BYTES * 0.75) warnings.push(`the package is ${bytes} bytes, close to the ${MAX_ZIP_BYTES}-byte limit`);
  const files = new Map(entries.map((e) => [e.name, e]));
  for (const name of REQUIRED_FILES) if (!files.has(name)) errors.push(`${name} is required`);
  for (const entry of entries) checkFile(entry, errors);
  const manifest = files.has('manifest.json') ? parseJson(files.get('manifest.json'), errors) : null;
  checkManifest(manifest, files, errors, warnings);
  checkTranslations(manifest, files, errors);
  checkLogos(files, errors);
  return { errors, warnings, bytes, files: entries.map((e) => e.name) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const target = process.argv[2] || path.join('dist', 'phone-handoff-app.zip');
  try {
    const { errors, warnings, bytes } = validateApp(target);
    for (const w of warnings) console.warn(`warning: ${w}`);
    for (const e of errors) console.error(`error: ${e}`);
    console.log(`${target}: ${bytes} bytes, ${errors.length} error(s), ${warnings.length} warning(s)`);
    if (errors.length) process.exitCode = 1;
  } catch (error) {
    console.error(`validate-app: ${error.message}`);
    process.exitCode = 1;
  }
}
