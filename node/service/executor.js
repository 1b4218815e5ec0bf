'use strict';
// The executor of the core's plan (docs/plan.md §2, followed exactly): ask the plan for the next
// request, send it, write what the answer means into progress, save, ask again. Non-idempotent
// requests are written ahead (progress.inFlight) so that after a crash or a lost answer the next
// plan probes before sending again. This file decides nothing about Zendesk: the plan does.
const { TransportError } = require('./zendesk-client.js');

class RetryableError extends Error {
  constructor(message, extra = {}) { super(message); Object.assign(this, extra); }
}
class PermanentError extends Error {
  constructor(message, extra = {}) { super(message); Object.assign(this, extra); }
}

// RFC 6901 pointers; missing parents are created as objects (docs/plan.md §2 rule 5).
const unescape = (token) => token.replace(/~1/g, '/').replace(/~0/g, '~');
const tokens = (pointer) => (pointer === '' ? [] : pointer.slice(1).split('/').map(unescape));

function getAt(doc, pointer) {
  let node = doc;
  for (const t of tokens(pointer)) {
    if (node === null || typeof node !== 'object' || !Object.prototype.hasOwnProperty.call(node, t)) return undefined;
    node = node[t];
  }
  return node;
}

function setAt(doc, pointer, value) {
  const path = tokens(pointer);
  let node = doc;
  for (const t of path.slice(0, -1)) {
    if (node[t] === null || typeof node[t] !== 'object') node[t] = {};
    node = node[t];
  }
  node[path[path.length - 1]] = value;
}

function apply(progress, outcome, body) {
  for (const [pointer, value] of Object.entries((outcome && outcome.set) || {})) setAt(progress, pointer, value);
  for (const [pointer, from] of Object.entries((outcome && outcome.capture) || {})) {
    const value = getAt(body, from);
    if (value !== undefined) setAt(progress, pointer, value);
  }
}

const deepEqual = (a, b) => JSON.stringify(a) === JSON.stringify(b);
const isTransient = (status) => status === 429 || (status >= 500 && status <= 599);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function retryAfterMs(headers) {
  const v = headers && headers['retry-after'];
  if (!v) return undefined;
  const seconds = Number(v);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - Date.now()) : undefined;
}

function errorSummary(body) {
  const e = body && Array.isArray(body.errors) && body.errors[0];
  if (e) return `${e.code || ''}${e.title ? ` (${e.title})` : ''}`;
  if (body && typeof body.error === 'string') return body.error;
  return '';
}

async function probe(zendesk, p) {
  let path = p.path;
  for (let page = 0; page < (p.maxPages || 1) && path; page++) {
    let answer;
    try {
      answer = await zendesk.request({ api: p.api, method: 'GET', path });
    } catch (err) {
      // A probe that got no answer proves nothing: sending now could duplicate (docs/plan.md rule 7).
      if (err instanceof TransportError && err.kind !== 'config') throw new RetryableError(`probe ${path}: ${err.message}`);
      throw err;
    }
    if (isTransient(answer.status)) {
      throw new RetryableError(`probe ${path}: Zendesk answered ${answer.status}`, { status: answer.status, retryAfterMs: retryAfterMs(answer.headers) });
    }
    if (answer.status < 200 || answer.status >= 300) return null;  // 4xx: not found
    const candidates = p.items ? getAt(answer.body, p.items) : [getAt(answer.body, p.item)];
    for (const candidate of Array.isArray(candidates) ? candidates : []) {
      if (candidate === undefined) continue;
      const hit = (p.matchAny || []).some((entry) => Object.entries(entry).every(([ptr, v]) => deepEqual(getAt(candidate, ptr), v)));
      if (hit) return candidate;
    }
    path = p.follow ? zendesk.sameHostPath(getAt(answer.body, p.follow), p.api) : null;
  }
  return null;
}

// Delivers one handoff job to the end of its plan, or throws RetryableError / PermanentError.
// job: { source, call_id, handoff, progress }; saveProgress(progress) persists (and fences).
//
// Progress is written before every request that is not idempotent (rule 2), and an answer's progress
// shares that write with the next request's write-ahead: "A answered, B in flight" is a state the
// protocol already recovers from (B is probed first). Before an idempotent request nothing is
// written: if the process dies, the next attempt repeats idempotent requests (harmless) or probes
// for a non-idempotent one still in flight. Store writes are a large share of a handoff's own time.
async function deliverHandoff({ core, zendesk, config, job, saveProgress, logger, onVisible = () => {} }) {
  const progress = job.progress && typeof job.progress === 'object' ? structuredClone(job.progress) : {};
  const planConfig = config.handoff || {};
  const appId = config.zendesk && config.zendesk.appId;
  let visible = Boolean(getAt(progress, '/handoff/passed'));
  let unsaved = false;  // an answer applied to progress but not yet written
  const flush = async () => {
    if (!unsaved) return;
    unsaved = false;
    await saveProgress(progress);
    if (!visible && getAt(progress, '/handoff/passed')) { visible = true; onVisible(); }
  };
  try {
    for (let step = 0; step < 10_000; step++) {
      const result = core.plan(job.handoff, planConfig, progress);
      if (result.errors) throw new PermanentError(`the stored handoff is not valid: ${result.errors.map((e) => `${e.pointer} ${e.message}`).join('; ')}`);
      if (result.done) {
        await flush();
        for (const d of result.diagnostics || []) logger && logger.info('plan diagnostic', { source: job.source, callId: job.call_id, ...d });
        return { progress, diagnostics: result.diagnostics || [] };
      }
      const r = result.requests && result.requests[0];
      if (!r) {
        const why = (result.diagnostics || []).filter((d) => d.severity === 'error').map((d) => `${d.code}: ${d.message}`).join('; ');
        throw new PermanentError(`blocked: ${why || 'the plan has no next request'}`, { diagnostics: result.diagnostics });
      }
      const path = r.path.split('{appId}').join(encodeURIComponent(appId || ''));
      if (/\{[A-Za-z]+\}/.test(path)) throw new PermanentError(`plan bug: placeholder left in ${r.id}: ${path}`);
      if (r.delayMs || r.probeFirst) await flush();
      if (r.delayMs) await sleep(r.delayMs);
      if (r.probeFirst && r.probe) {
        const p = { ...r.probe, path: r.probe.path.split('{appId}').join(encodeURIComponent(appId || '')) };
        const found = await probe(zendesk, p);
        if (found !== null) {
          apply(progress, r.probe.found, found);
          delete progress.inFlight;
          await saveProgress(progress);
          continue;
        }
      }
      if (!r.idempotent) {
        progress.inFlight = r.id;
        unsaved = true;
        await flush();
      }
      let answer;
      try {
        answer = await zendesk.request({ api: r.api, method: r.method, path, body: r.body });
      } catch (err) {
        if (err instanceof TransportError && err.kind !== 'config') {
          throw new RetryableError(`${r.id}: ${err.message}`, { requestId: r.id });
        }
        throw new PermanentError(`${r.id}: ${err.message}`, { requestId: r.id });
      }
      if (isTransient(answer.status)) {
        throw new RetryableError(`${r.id}: Zendesk answered ${answer.status} ${errorSummary(answer.body)}`.trim(),
          { requestId: r.id, status: answer.status, retryAfterMs: retryAfterMs(answer.headers) });
      }
      const onStatus = (r.onStatus || {})[String(answer.status)];
      if ((r.expect || []).includes(answer.status)) apply(progress, { set: r.set, capture: r.capture }, answer.body);
      else if (onStatus) apply(progress, onStatus, answer.body);
      else {
        delete progress.inFlight;
        await saveProgress(progress);
        throw new PermanentError(`${r.id}: Zendesk answered ${answer.status} ${errorSummary(answer.body)}`.trim(),
          { requestId: r.id, status: answer.status });
      }
      delete progress.inFlight;
      unsaved = true;
    }
    throw new PermanentError('plan did not finish within 10,000 requests');
  } catch (err) {
    // Whatever stopped this attempt, the answers already received are kept (best effort: a store
    // that fails here fails the next attempt's claim too, and the original error says more).
    await flush().catch(() => {});
    throw err;
  }
}

module.exports = { deliverHandoff, RetryableError, PermanentError, getAt, setAt, apply };
