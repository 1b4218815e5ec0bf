// Distinct webhook bodies from the test fixtures, for the service benchmarks. The service keeps one
// handoff per (source, call id) and de-duplicates repeats, so a benchmark that posted the same body
// again and again would measure the duplicate path; every body made here has its own call id (and,
// for time to visible, its own caller, so every handoff creates its caller's user as a first call
// does). The fixture's own values are replaced as text, which works for every source's layout.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const core = require('../../node/index.js');
export const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const fixturePath = (relative) => path.join(repo, 'tests', 'fixtures', relative);

// The long calls of each source by turn count (canonical has only a 400-turn call).
export function longCallFixture(source, turns) {
  if (source === 'canonical') return turns === 400 ? 'canonical/long-call-400-turns.json' : null;
  return `${source}/long-${turns}.json`;
}

// A template: the fixture's text and the values each copy replaces.
export function loadTemplate(relative) {
  const source = relative.split('/')[0];
  const text = readFileSync(fixturePath(relative), 'utf8');
  const parsed = core.parse(source, text);
  if (parsed.errors) throw new Error(`${relative} does not parse: ${JSON.stringify(parsed.errors)}`);
  const h = parsed.handoff;
  // The caller's national digits, contiguous in every fixture whatever the number's format.
  const phoneDigits = h.caller && h.caller.phone ? h.caller.phone.replace(/^\+1/, '') : null;
  return { source, relative, text, callId: h.call_id, phoneDigits, turns: h.transcript.length, bytes: Buffer.byteLength(text) };
}

// Copy `index` of a template: a new call id, and (newCaller) a new caller number.
export function distinctBody(template, index, { tag = 'b', newCaller = false } = {}) {
  const callId = `${template.callId}-${tag}${index}`;
  let text = template.text.split(template.callId).join(callId);
  if (newCaller && template.phoneDigits) text = text.split(template.phoneDigits).join(`555${String(index % 1e7).padStart(7, '0')}`);
  return { text, callId };
}

// Checks once that copies really differ where the service looks (call id, caller), so a fixture
// change can never turn a benchmark into a measurement of the duplicate path unnoticed.
export function checkDistinct(template, options) {
  const a = core.parse(template.source, distinctBody(template, 1, options).text).handoff;
  const b = core.parse(template.source, distinctBody(template, 2, options).text).handoff;
  if (!a || !b || a.call_id === b.call_id) throw new Error(`${template.relative}: copies do not get distinct call ids`);
  if (options && options.newCaller && template.phoneDigits && a.caller.phone === b.caller.phone) {
    throw new Error(`${template.relative}: copies do not get distinct callers`);
  }
}

// Headers that sign `text` for `source` with the service configuration's first secret.
export function signedHeaders(source, text, sourceConfig, now = Date.now()) {
  return { 'content-type': 'application/json', ...core.sign(source, text, sourceConfig, now).headers };
}
