// Builds the seed corpus of every fuzz target from the test payloads in tests/fixtures/** (and
// the saved crash inputs in tests/fixtures/fuzz/), in the input format each target reads (see the
// comment at the top of each tests/fuzz/fuzz_*.cpp). Used by node/scripts/fuzz.mjs; also runnable
// alone: `node tests/fuzz/corpus.mjs <out dir>`.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixturesDir = path.join(root, 'tests', 'fixtures');
export const SOURCES = ['canonical', 'vapi', 'retell', 'elevenlabs', 'bland'];

const NUL = Buffer.from([0]);
const text = (s) => Buffer.from(s, 'utf8');
const FULL_CONFIG = JSON.stringify({
  tagPrefix: 'fz', extraTags: ['vip_line', 'Ünïcode tag'], locale: 'en', transcriptStyle: 'per-turn',
  aiDisplayName: 'AI agent', sessionUrlTemplate: 'https://app.example/sessions/{session_id}',
  ticketFields: { session_id: 1, call_id: 2, reason: 3, mode: 4, sentiment: 5, follow_up: 6, custom: { order_id: 7 } },
  redaction: { cards: true, cardSecurityCodes: true, ssn: true },
  agents: { agent_billing: { displayName: 'Ava', transferNumber: '+15550100200', followUpChannel: 'callback' } },
  sunshine: { agentWorkspace: 'zd-agentWorkspace', integration: 'phone-handoff', multiConversations: true, userExternalIdPrefix: 'phone:' },
  matchCallers: true,
});
const LATER_PROGRESS = JSON.stringify({
  user: { externalId: 'phone:+15550009999' }, conversation: { id: 'conv_1' }, firstMessageId: 'msg_1',
  messages: { 0: { id: 'm0' } }, inFlight: 'post-transcript-1',
});
const REDACT_TEXTS = [
  'my card is 4111 1111 1111 1111, expiry 12/29, cvv 123',
  'four one one one one one one one one one one one one one one one security code one two three',
  'SSN 123-45-6789 and 5500-0000-0000-0004 then 4111111111111112',
];
const PHONES = ['+1 (555) 000-9999', 'tel:+15550009999', '0044 20 7946 0000', '(555) 000-9999',
  '020 7946 0000', 'anonymous', '+', '15550009999', 'sip:agent@example.com'];

// Texts at the edges of JSON for fuzz_json_reader (numbers, escapes, surrogates, duplicates, BOM).
const JSON_EDGES = ['[0,-0,2.0,1e3,-0.0,9223372036854775808,-9223372036854775809,18446744073709551616,4.9e-324,1e400]',
  '{"a":1,"a":{"b":[]},"\\u00e9\\ud83d\\ude00":"\\n\\"\\/","":null}', '["\\ud800"]', '\ufeff{"bom":true}', '[[[[[[[[]]]]]]]]',
  '"\u00e9\u20ac"', ' true ', '{"x":"a\\u0000b"}'];

// Seeds larger than this are left out: a 400-turn payload takes tens of milliseconds per run
// under ASan, which would spend a short run on a few huge inputs instead of many mutations.
const MAX_SEED_BYTES = 32 * 1024;

function filesUnder(dir) {
  let out = [];
  for (const name of readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) out = out.concat(filesUnder(file));
    else if (/\.(json|bin|txt)$/.test(name) && statSync(file).size <= MAX_SEED_BYTES) out.push(file);
  }
  return out;
}

// Saved crash inputs, tests/fixtures/fuzz/<target>-<what>.<ext>: replayed as seeds of their target.
function regressionSeeds(target) {
  const dir = path.join(fixturesDir, 'fuzz');
  let names = [];
  try { names = readdirSync(dir); } catch { return []; }
  return names.filter((n) => n.startsWith(`${target}-`)).sort().map((n) => readFileSync(path.join(dir, n)));
}

export function seedsByTarget() {
  const bySource = Object.fromEntries(SOURCES.map((s) => {
    let files = [];
    try { files = filesUnder(path.join(fixturesDir, s)); } catch { /* a source without fixtures */ }
    return [s, files.map((f) => readFileSync(f))];
  }));
  const canonical = bySource.canonical;
  const sourced = (index, body) => Buffer.concat([text(String(index)), body]);
  const seeds = {
    fuzz_parse: SOURCES.flatMap((s, i) => bySource[s].map((b) => sourced(i, b))),
    fuzz_normalize: PHONES.map((p, i) => text(`${i % 6}${p}`)),
    fuzz_redact: [...canonical, ...REDACT_TEXTS.map(text)],
    fuzz_render: [...canonical, ...canonical.map((b) => Buffer.concat([b, NUL, text(FULL_CONFIG)]))],
    fuzz_plan: [...canonical, ...canonical.map((b) => Buffer.concat([b, NUL, text(FULL_CONFIG), NUL, text(LATER_PROGRESS)]))],
    fuzz_verify: SOURCES.flatMap((s, i) => bySource[s].slice(0, 2).map((b) => Buffer.concat([text(`${i}{}`), NUL, b]))),
    fuzz_deliver: SOURCES.flatMap((s, i) => bySource[s].flatMap((b) => [sourced(i, b),
      Buffer.concat([sourced(i, b), NUL, text(FULL_CONFIG), NUL, text(LATER_PROGRESS)])])),
    fuzz_json_reader: [...SOURCES.flatMap((s) => bySource[s]), ...JSON_EDGES.map(text)],
  };
  for (const target of Object.keys(seeds)) seeds[target].push(...regressionSeeds(target));
  return seeds;
}

// Writes <outDir>/<target>/<sha1> for every seed (fresh each time: the fixtures are the truth).
export function writeSeeds(outDir) {
  const seeds = seedsByTarget();
  for (const [target, inputs] of Object.entries(seeds)) {
    const dir = path.join(outDir, target);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    for (const input of inputs) writeFileSync(path.join(dir, createHash('sha1').update(input).digest('hex')), input);
  }
  return Object.fromEntries(Object.entries(seeds).map(([t, inputs]) => [t, inputs.length]));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = process.argv[2] || path.join(root, 'build', 'fuzz', 'seeds');
  console.log(writeSeeds(out));
}
