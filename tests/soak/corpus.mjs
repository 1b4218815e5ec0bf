// The soak's handoffs: real fixtures of every source, each made into a distinct call (new call
// id, new caller phone) and some carrying a Luhn-valid card number in a caller turn, then given a
// delivery schedule (2–3 copies, some at once, some later, Retell's call_analyzed as an update).
// Everything is drawn from one seeded generator, so a seed always builds the same corpus.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const core = require('../../node/index.js');
const { seededRandom } = require('../../node/sandbox/faults.js');

const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

// Per source: the short calls, the 40-turn call, the 400-turn call, and (Retell) an update event
// for the same call.
const FIXTURES = {
  canonical: { short: ['short-call.json', 'logged-escalation-sms.json'], long40: [], long400: ['long-call-400-turns.json'] },
  vapi: { short: ['end-of-call-report.json'], long40: ['long-40.json'], long400: ['long-400.json'] },
  retell: { short: ['call-ended.json'], long40: ['long-40.json'], long400: ['long-400.json'], updates: { 'call-ended.json': 'call-analyzed.json' } },
  elevenlabs: { short: ['post-call-transcription.json'], long40: ['long-40.json'], long400: ['long-400.json'] },
  bland: { short: ['post-call.json'], long40: ['long-40.json'], long400: ['long-400.json'] },
};
export const SOURCES = Object.keys(FIXTURES);

// Luhn-valid test numbers of four brands, written the ways a caller's words reach a transcript.
export const CARDS = ['4111 1111 1111 1111', '5555-5555-5555-4444', '378282246310005', '6011 1111 1111 1117'];
export const cardDigits = (card) => card.replace(/\D/g, '');

const read = (source, file) => readFileSync(path.join(fixturesDir, source, file), 'utf8');

// Applies fn to every string in a JSON value (keys are left alone).
function mapStrings(value, fn) {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, fn)]));
  return value;
}

const looksLikePhone = (s) => /^[+\d\s().-]{7,}$/.test(s);

// One fixture body made into another call: every mention of the call id and of the caller's
// number (in whatever format the platform wrote it) is replaced; `card`, when given, is spoken
// in the first caller turn.
export function rewriteFixture(source, file, { callId, phone, card }) {
  const raw = read(source, file);
  const original = core.parse(source, raw);
  if (original.errors) throw new Error(`${source}/${file} does not parse: ${JSON.stringify(original.errors)}`);
  const h = original.handoff;
  const oldPhoneDigits = h.caller && h.caller.phone ? h.caller.phone.replace(/\D/g, '') : null;
  const callerTurn = card ? h.transcript.find((t) => t.speaker === 'caller' && t.text.length > 10) : null;
  const spoken = callerTurn ? `${callerTurn.text} My card number is ${card}.` : null;
  const body = mapStrings(JSON.parse(raw), (s) => {
    let out = s.split(h.call_id).join(callId);
    if (oldPhoneDigits && looksLikePhone(out)) {
      const digits = out.replace(/\D/g, '');
      if (digits === oldPhoneDigits || `1${digits}` === oldPhoneDigits) out = phone;
    }
    if (callerTurn) out = out.split(callerTurn.text).join(spoken);
    return out;
  });
  const text = JSON.stringify(body);
  const parsed = core.parse(source, text);
  if (parsed.errors) throw new Error(`${source}/${file} rewritten does not parse: ${JSON.stringify(parsed.errors)}`);
  const p = parsed.handoff;
  if (p.call_id !== callId) throw new Error(`${source}/${file}: the call id was not rewritten (${p.call_id})`);
  if (oldPhoneDigits && (!p.caller || p.caller.phone !== phone)) throw new Error(`${source}/${file}: the caller's number was not rewritten (${JSON.stringify(p.caller)})`);
  if (card && !p.transcript.some((t) => t.text.includes(card))) throw new Error(`${source}/${file}: the card did not reach a turn`);
  return { body: text, handoff: p };
}

// buildCorpus({ handoffs, seed, permanentRate }) → [{ index, source, callId, phone, size, card,
// permanent, deliveries: [{ file, body, atMs, group }], update }]
// atMs is relative to the handoff's first delivery; deliveries sharing a `group` are sent at once.
export function buildCorpus({ handoffs, seed, permanentEvery = 50 }) {
  const random = seededRandom(seed);
  const pick = (list) => list[Math.floor(random() * list.length)];
  const out = [];
  for (let index = 0; index < handoffs; index++) {
    const source = SOURCES[index % SOURCES.length];
    const f = FIXTURES[source];
    const roll = random();
    const size = roll < 0.05 ? 'long400' : roll < 0.35 && f.long40.length ? 'long40' : 'short';
    const file = pick(f[size]);
    const callId = `soak-${seed}-${String(index).padStart(5, '0')}-${source}`;
    // One handoff in ten comes from a repeat caller (a handful of numbers shared by many calls):
    // their conversations pile up on one user, which is what the create-conversation probe pages
    // through after a lost answer. The planned permanent failures keep a number of their own:
    // the fault plan answers 403 to their user lookup, so exactly those, and only those, must
    // end in the dead letter.
    const permanent = permanentEvery > 0 && index % permanentEvery === permanentEvery - 1;
    const repeatCaller = !permanent && random() < 0.1;
    const phone = repeatCaller ? `+1555299000${Math.floor(random() * 4)}` : `+1555${3_000_000 + index}`;
    const card = random() < 0.25 ? pick(CARDS) : null;
    const first = rewriteFixture(source, file, { callId, phone, card });
    const copies = random() < 0.5 ? 2 : 3;
    const deliveries = [{ file, body: first.body, atMs: 0, group: 0 }];
    for (let c = 1; c < copies; c++) {
      const concurrent = random() < 0.4;
      deliveries.push({ file, body: first.body, atMs: concurrent ? 0 : Math.round(500 + random() * 15_000), group: concurrent ? 0 : c });
    }
    let update = null;
    const updateFile = f.updates && f.updates[file];
    if (updateFile && random() < 0.7) {
      update = rewriteFixture(source, updateFile, { callId, phone, card });
      deliveries.push({ file: updateFile, body: update.body, atMs: Math.round(random() * 10_000), group: 'update' });
    }
    // `handoff` is what the first delivery says; the transcripts of an update event are the same
    // call's, so its turns are what the ticket must show.
    out.push({ index, source, callId, phone, repeatCaller, size, card, permanent, deliveries, hasUpdate: Boolean(update), handoff: first.handoff });
  }
  return out;
}
