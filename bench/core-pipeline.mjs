#!/usr/bin/env node
// Core pipeline benchmark: parse → redact → render → plan (and parse → plan, and the one-call deliver) on short (7–11 turns), 40- and
// 400-turn calls of every source, through the native addon, the WebAssembly build (both via the
// package API, each in its own child process with PHONE_HANDOFF_BACKEND forced) and the plain-JS
// baseline in bench/baseline/ (the same pipeline written the way a Node developer would).
// The three children run the same case one after another, round after round, so they share the
// machine's noise; medians per implementation and their ratios come from the same run.
// Prints a table; writes JSON to bench/results/core-pipeline-<time>.json. Not a test: no
// threshold fails the run.
import { fork } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(import.meta.url);
const fixture = (source, name) => path.join(root, 'tests', 'fixtures', source, name);

// Which file stands for each size of call, per source.
const SHORT = { canonical: 'short-call.json', vapi: 'end-of-call-report.json', retell: 'call-ended.json',
  elevenlabs: 'post-call-transcription.json', bland: 'post-call.json' };
const SOURCES = Object.keys(SHORT);

// Implementations: how to load one in a child, and how to run the pipeline once on (source, body).
// "api": the package's public functions (objects in, objects out), what an application calls.
// "raw": the backend's call() with JSON text between steps: the core's own cost, no JS (de)serialising.
export const IMPLEMENTATIONS = {
  // "deliver": one raw call, body text in, plan text out (parse, render with its redaction, plan,
  // all inside the core): the same input and output as the JS baseline. The headline rows.
  'native-deliver': { backend: 'native', style: 'deliver' },
  'wasm-deliver': { backend: 'wasm', style: 'deliver' },
  native: { backend: 'native', style: 'api' },
  wasm: { backend: 'wasm', style: 'api' },
  'native-raw': { backend: 'native', style: 'raw' },
  'wasm-raw': { backend: 'wasm', style: 'raw' },
  // "pp": parse → plan only, raw text: plan renders (and so redacts) itself, so this is all a
  // delivery needs, each step done once, like the baseline.
  'native-pp': { backend: 'native', style: 'parse-plan' },
  'wasm-pp': { backend: 'wasm', style: 'parse-plan' },
  js: { backend: null, style: 'baseline' },
};

// plan() takes the bare handoff (render also takes redact's {"handoff", "redactions"}): cut the
// handoff's text out of redact's result, whose keys come in that order, instead of paying a
// JSON.parse + JSON.stringify in JS for what is the core's cost being measured.
function handoffText(result, nextKey = 'redactions') {
  const head = '{"handoff":';
  const tail = result.lastIndexOf(`,"${nextKey}":`);
  if (!result.startsWith(head) || tail < 0) throw new Error(`unexpected result: ${result.slice(0, 100)}`);
  return result.slice(head.length, tail);
}

function pipelineFor(name) {
  const impl = IMPLEMENTATIONS[name];
  if (impl.style === 'baseline') {
    const baseline = require('./baseline/pipeline.js');
    return (source, body) => baseline.runPipeline(source, body);
  }
  process.env.PHONE_HANDOFF_BACKEND = impl.backend;
  if (impl.style === 'api') {
    const ph = require(path.join(root, 'node', 'index.js'));
    return (source, body) => {
      const parsed = ph.parse(source, body);
      if (parsed.errors) throw new Error(`${source}: parse failed: ${JSON.stringify(parsed.errors[0])}`);
      const redacted = ph.redact(parsed.handoff);
      const rendered = ph.render(redacted.handoff);
      const planned = ph.plan(redacted.handoff);
      return [rendered, planned];
    };
  }
  const backend = require(path.join(root, 'node', 'lib', 'backends.js')).loadBackend(impl.backend);
  const check = (op, text) => {
    if (text.startsWith('{"error"') || text.startsWith('{"errors"')) throw new Error(`${op}: ${text.slice(0, 300)}`);
    return text;
  };
  if (impl.style === 'deliver') return (source, body) => check('deliver', backend.call('deliver', [source, body]));
  if (impl.style === 'parse-plan') {
    return (source, body) => {
      const parsed = check('parse', backend.call('parse', [source, body]));
      return check('plan', backend.call('plan', [handoffText(parsed, 'warnings')]));
    };
  }
  return (source, body) => {
    const parsed = check('parse', backend.call('parse', [source, body]));
    const redacted = check('redact', backend.call('redact', [parsed]));
    return [check('render', backend.call('render', [redacted])), check('plan', backend.call('plan', [handoffText(redacted)]))];
  };
}

// ---- child: load one implementation, then time cases on request --------------------------------
function worker(name) {
  let pipeline;
  try {
    pipeline = pipelineFor(name);
  } catch (err) {
    process.send({ type: 'failed', message: err.message.split('\n').slice(0, 4).join(' ') });
    return;
  }
  process.send({ type: 'ready' });
  let sink = 0;
  process.on('message', ({ source, body, milliseconds, warmup }) => {
    try {
      for (let i = 0; i < warmup; i++) sink += pipeline(source, body).length;
      const samples = [];
      const cpuBefore = process.cpuUsage();
      const end = process.hrtime.bigint() + BigInt(milliseconds * 1e6);
      do {
        const t0 = process.hrtime.bigint();
        sink += pipeline(source, body).length;
        samples.push(Number(process.hrtime.bigint() - t0) / 1e6);
      } while (process.hrtime.bigint() < end || samples.length < 3);
      const cpu = process.cpuUsage(cpuBefore);
      process.send({ type: 'samples', samples, cpuPerCall: (cpu.user + cpu.system) / 1000 / samples.length, sink });
    } catch (err) {
      process.send({ type: 'failed', message: err.message });
    }
  });
}

// ---- parent ---------------------------------------------------------------------------------------
const median = (values) => {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};

function startChild(name) {
  const child = fork(fileURLToPath(import.meta.url), ['--worker', name], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const ask = (message) => new Promise((resolve) => {
    child.once('message', resolve);
    if (message) child.send(message);
  });
  return { name, child, ask, ready: ask(null) };
}

// The 40-turn canonical call is the Vapi one parsed into the canonical handoff (by whichever core
// backend loads here): the same conversation as vapi/long-40.json, in canonical form.
function canonical40() {
  const backend = require(path.join(root, 'node', 'lib', 'backends.js')).loadBackend();
  const parsed = JSON.parse(backend.call('parse', ['vapi', readFileSync(fixture('vapi', 'long-40.json'), 'utf8')]));
  if (!parsed.handoff) throw new Error(`could not make the 40-turn canonical call: ${JSON.stringify(parsed).slice(0, 200)}`);
  return JSON.stringify(parsed.handoff, null, 2);
}

export function cases() {
  const list = [];
  for (const source of SOURCES) {
    const sizes = source === 'canonical'
      ? [['short', readFileSync(fixture(source, SHORT[source]), 'utf8')], ['40', canonical40()],
        ['400', readFileSync(fixture(source, 'long-call-400-turns.json'), 'utf8')]]
      : [['short', readFileSync(fixture(source, SHORT[source]), 'utf8')], ['40', readFileSync(fixture(source, 'long-40.json'), 'utf8')],
        ['400', readFileSync(fixture(source, 'long-400.json'), 'utf8')]];
    for (const [size, body] of sizes) list.push({ source, size, body });
  }
  return list;
}

export async function runCorePipeline({ rounds = 5, milliseconds = 120, only = null, implementations = Object.keys(IMPLEMENTATIONS) } = {}) {
  const children = implementations.map(startChild);
  const available = [];
  const unavailable = {};
  for (const c of children) {
    const message = await c.ready;
    if (message.type === 'ready') available.push(c);
    else { unavailable[c.name] = message.message; c.child.kill(); }
  }
  const results = [];
  for (const { source, size, body } of cases()) {
    if (only && !only.includes(source)) continue;
    const samples = Object.fromEntries(available.map((c) => [c.name, []]));
    const cpu = Object.fromEntries(available.map((c) => [c.name, []]));
    for (let round = 0; round < rounds; round++) {
      // Rotate the order each round so no implementation always runs first (or last).
      const order = available.map((_, i) => available[(i + round) % available.length]);
      for (const c of order) {
        const answer = await c.ask({ source, body, milliseconds, warmup: round === 0 ? 20 : 2 });
        if (answer.type !== 'samples') throw new Error(`${c.name} on ${source}/${size}: ${answer.message}`);
        samples[c.name].push(...answer.samples);
        cpu[c.name].push(answer.cpuPerCall);
      }
    }
    const medians = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)]));
    results.push({
      source, size, bytes: Buffer.byteLength(body), iterations: Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, v.length])),
      median_ms: medians,
      // CPU time per call (median over rounds): steadier than wall time when other jobs share the cores.
      cpu_ms: Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, median(v)])),
    });
  }
  for (const c of available) c.child.kill();
  return { results, unavailable };
}

const fmt = (ms) => (ms === undefined ? '—' : ms < 1 ? `${(ms * 1000).toFixed(0)} µs` : `${ms.toFixed(2)} ms`);
const ratio = (a, b) => (a === undefined || b === undefined ? '—' : `${(a / b).toFixed(2)}×`);

export function printTable({ results, unavailable }, out = process.stdout, metric = 'median_ms') {
  const names = Object.keys(results[0]?.[metric] || {});
  const header = ['source', 'turns', 'KB', ...names.map((n) => `${n}`), ...names.filter((n) => n !== 'js').map((n) => `js/${n}`)];
  const rows = results.map((r) => [r.source, r.size, (r.bytes / 1024).toFixed(1), ...names.map((n) => fmt(r[metric][n])),
    ...names.filter((n) => n !== 'js').map((n) => ratio(r[metric].js, r[metric][n]))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const what = metric === 'cpu_ms' ? 'CPU time per call (median of rounds)' : 'wall time per call (median)';
  out.write(`\nCore pipeline (parse → redact → render → plan), ${what}; js/x = x's throughput over the JS baseline's\n`);
  out.write(`${line(header)}\n${line(widths.map((w) => '-'.repeat(w)))}\n`);
  for (const row of rows) out.write(`${line(row)}\n`);
  for (const [name, why] of Object.entries(unavailable)) out.write(`(${name} not measured: ${why})\n`);
}

export function machine() {
  return { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version, platform: `${os.platform()} ${os.release()}`, load: os.loadavg() };
}

if (process.argv[2] === '--worker') {
  worker(process.argv[3]);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await runCorePipeline();
  printTable(result);
  printTable(result, process.stdout, 'cpu_ms');
  const dir = path.join(here, 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `core-pipeline-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify({ machine: machine(), ...result }, null, 2)}\n`);
  console.log(`\nJSON: ${path.relative(root, file)}`);
}
