'use strict';
// Workers: claim due handoffs with a lease (safe across replicas: FOR UPDATE SKIP LOCKED, and a
// lease that expires if its worker dies), deliver them step by step through the executor, and on
// failure schedule a retry with exponential backoff and jitter (honouring Retry-After) until the
// handoff is older than delivery.maxAgeHours, when it goes to the dead-letter state.
const crypto = require('node:crypto');
const { deliverHandoff, RetryableError, PermanentError } = require('./executor.js');

function backoffMs(attempt, { baseDelayMs, maxDelayMs }, random = Math.random) {
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));  // "equal jitter": never zero, never herd
}

function createWorker({ core, store, zendesk, config, metrics, logger, clock = Date.now, owner = `${process.pid}-${crypto.randomBytes(4).toString('hex')}` }) {
  const d = config.delivery;
  const leaseMs = d.leaseSeconds * 1000;

  // One statement, so no explicit transaction: it is atomic on its own, and a transaction's extra
  // round trips (begin, commit) were most of a claim's cost on the embedded store.
  // Each claim holds the lease under its own name (this worker's name and a claim number): the
  // fencing below must also stop a loop of this same process whose lease expired and was taken by
  // another of its loops, not only another process.
  let claims = 0;
  async function claim() {
    const now = clock();
    const lease = `${owner}#${++claims}`;
    const rows = await store.query(
      `update handoffs set state = 'delivering', lease_owner = $1, lease_until = $2,
         first_attempt_at = coalesce(first_attempt_at, $3)
       where (source, call_id) in (
         select source, call_id from handoffs
         where (state in ('queued', 'retrying') and next_attempt_at <= $3)
            or (state = 'delivering' and lease_until < $3)
         order by next_attempt_at limit 1 for update skip locked)
       returning *`, [lease, now + leaseMs, now]);
    return rows[0] || null;
  }

  // Writes progress only while this worker still holds the lease (fencing): a worker that lost its
  // lease to another must not overwrite the newer owner's progress.
  async function saveProgress(job, progress) {
    const rows = await store.query(
      `update handoffs set progress = $4::jsonb, lease_until = $5, updated_at = $6
       where source = $1 and call_id = $2 and lease_owner = $3 returning revision`,
      [job.source, job.call_id, job.lease_owner, JSON.stringify(progress), clock() + leaseMs, clock()]);
    if (!rows.length) throw new RetryableError('lease lost to another worker', { leaseLost: true });
  }

  async function finish(job, outcome) {
    const now = clock();
    if (outcome.ok) {
      // Delivered what was current when the job was claimed; a newer revision (an update event
      // that arrived meanwhile) puts it back in the queue.
      await store.query(
        `update handoffs set state = case when revision > $4 then 'queued' else 'delivered' end,
           delivered_revision = $4, visible_at = coalesce(visible_at, $5), lease_owner = null, lease_until = null,
           attempts = 0, last_error = null, next_attempt_at = $5, updated_at = $5
         where source = $1 and call_id = $2 and lease_owner = $3`,
        [job.source, job.call_id, job.lease_owner, job.revision, now]);
      metrics && metrics.count('handoffs_delivered_total', { source: job.source });
      if (!job.visible_at) metrics && metrics.observe('handoff_time_to_visible_seconds', (now - Number(job.received_at)) / 1000);
      return;
    }
    const err = outcome.error;
    const attempts = Number(job.attempts) + 1;
    const age = now - Number(job.first_attempt_at || job.received_at);
    const permanent = err instanceof PermanentError;
    const dead = permanent || age >= d.maxAgeHours * 3600_000;
    const wait = Math.max(err.retryAfterMs || 0, backoffMs(attempts, d));
    await store.query(
      `update handoffs set state = $4, attempts = $5, next_attempt_at = $6, last_error = $7,
         lease_owner = null, lease_until = null, updated_at = $8
       where source = $1 and call_id = $2 and lease_owner = $3`,
      [job.source, job.call_id, job.lease_owner, dead ? 'dead' : 'retrying', attempts, now + wait, String(err.message).slice(0, 2000), now]);
    metrics && metrics.count(dead ? 'handoffs_dead_total' : 'handoffs_retried_total', { source: job.source });
    logger && logger[dead ? 'error' : 'warn'](dead ? 'handoff is dead' : 'handoff will be retried',
      { source: job.source, callId: job.call_id, attempts, retryInMs: dead ? undefined : wait, error: err.message });
  }

  // Runs one claimed job to its end (delivered, retry scheduled, or dead). Returns false when idle.
  async function runOnce() {
    const job = await claim();
    if (!job) return false;
    try {
      await deliverHandoff({ core, zendesk, config, job, saveProgress: (p) => saveProgress(job, p), metrics, logger });
      await finish(job, { ok: true });
    } catch (error) {
      if (error.leaseLost) return true;  // the new owner carries on
      await finish(job, { ok: false, error });
    }
    return true;
  }

  // drain(): deliver everything due now, then return (scheduled functions, tests, `jobs`).
  async function drain({ maxJobs = Infinity } = {}) {
    let n = 0;
    while (n < maxJobs && await runOnce()) n++;
    return n;
  }

  // start(): `concurrency` loops delivering until stop(). An idle loop waits to be woken: by an
  // intake (nudge), by a loop that found work (there may be more), or by the one poll timer that
  // wakes a single idle loop every `pollMs` for retries coming due. One idle claim per interval,
  // not one per loop: on the embedded store every statement waits its turn, so idle claims would
  // delay the saves of the handoffs being delivered.
  function start() {
    let running = true;
    const idle = [];
    const wakeOne = () => { const resume = idle.shift(); if (resume) resume(); };
    const poll = setInterval(wakeOne, d.pollMs);
    const loops = Array.from({ length: d.concurrency }, async () => {
      while (running) {
        let worked = false;
        try { worked = await runOnce(); } catch (err) { logger && logger.error('worker loop error', { error: err.message }); }
        if (worked) wakeOne();
        else if (running) await new Promise((resume) => idle.push(resume));
      }
    });
    return {
      nudge: wakeOne,
      async stop() {
        running = false;
        clearInterval(poll);
        for (const resume of idle.splice(0)) resume();
        await Promise.all(loops);
      },
    };
  }

  return { runOnce, drain, start, owner };
}

module.exports = { createWorker, backoffMs };
