'use strict';
// Intake: POST /webhooks/<source>. Verify the signature on the raw bytes (before any parsing),
// parse with the core, persist, then acknowledge. Nothing that fails verification is stored;
// everything that passes is stored, accepted or not, so no delivery is ever silently dropped.
const { SOURCES } = require('../lib/api.js');

// Header names whose values are credentials: never stored, never logged.
const SECRET_HEADERS = new Set(['authorization', 'x-vapi-secret', 'x-api-key', 'cookie', 'proxy-authorization']);

const secretHeaderNames = (extraSecretHeaders = []) => new Set([...SECRET_HEADERS, ...extraSecretHeaders.map((h) => h.toLowerCase())]);

// storableHeaders(headers, extra names | a set from secretHeaderNames)
function storableHeaders(headers, extraSecretHeaders = []) {
  const secret = extraSecretHeaders instanceof Set ? extraSecretHeaders : secretHeaderNames(extraSecretHeaders);
  const out = {};
  for (const [name, value] of headers) out[name] = secret.has(name) ? '[removed]' : value;
  return out;
}

const json = (status, body, headers = {}) => new Response(JSON.stringify(body), {
  status, headers: { 'content-type': 'application/json', ...headers },
});

async function readBody(request, maxBytes) {
  const length = request.headers.get('content-length');
  const declared = length === null ? NaN : Number(length);
  if (Number.isFinite(declared) && declared > maxBytes) return { tooLarge: true };
  // With a declared length within the limit, HTTP's framing bounds the body: read it whole (the
  // cheap way for a Request from node-http.js; a Request built by hand may lie, hence the check).
  // Without one, count while streaming.
  if (Number.isFinite(declared)) {
    const bytes = Buffer.from(await request.arrayBuffer());
    return bytes.length > maxBytes ? { tooLarge: true } : { bytes };
  }
  const reader = request.body ? request.body.getReader() : null;
  const chunks = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) { await reader.cancel(); return { tooLarge: true }; }
    chunks.push(value);
  }
  return { bytes: Buffer.concat(chunks, size) };
}

// The transfer number configured for the assistant that asked (Vapi transfer-destination-request).
function transferDestinationFor(config, handoff) {
  const settings = config.handoff || {};
  const agent = (settings.agents || {})[handoff.agent && handoff.agent.id] || {};
  const number = agent.transferNumber || settings.defaultTransferNumber;
  if (!number) return null;
  return number.startsWith('sip:') ? { type: 'sip', sipUri: number } : { type: 'number', number };
}

// Equal as JSON values, whatever the order of object keys: the stored handoff comes back from a
// jsonb column, which orders keys its own way, so comparing serialisations would call every exact
// repeat an update (and deliver it again).
function sameJson(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === b.length && a.every((x, i) => sameJson(x, b[i]));
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson(a[k], b[k]));
}

// groupCommit(write, {writers}): add(item) -> Promise of write's result for it. Items that arrive
// in the same turn of the event loop, or while every writer is busy, are written together by the
// next free writer; write(items) returns one result (or Error) per item. Several writers keep a
// PostgreSQL pool busy; the embedded store runs one statement at a time, so it has one.
function groupCommit(write, { writers = 1 } = {}) {
  let waiting = [];
  let active = 0;
  let scheduled = false;
  async function drain() {
    scheduled = false;
    active++;
    while (waiting.length) {
      const group = waiting;
      waiting = [];
      let results;
      try { results = await write(group.map((w) => w.item)); } catch (error) { results = group.map(() => error); }
      group.forEach((w, i) => (results[i] instanceof Error ? w.reject(results[i]) : w.resolve(results[i])));
    }
    active--;
  }
  return {
    add(item) {
      return new Promise((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        // After this turn's I/O callbacks, so the requests already received join one group.
        if (!scheduled && active < writers) { scheduled = true; setImmediate(drain); }
      });
    },
  };
}

// The group's new calls in one statement (see persistNewCalls). Rows are inserted in the group's
// order, so of several copies of one call the first creates the handoff (ON CONFLICT DO NOTHING
// skips the others, as it skips calls that already exist); each created handoff gets the delivery
// row of the copy that created it, and the ids come back with their call.
const NEW_CALLS_SQL = `
  with item as (
    select * from unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
      with ordinality as i(source, received_at, call_id, event_id, headers, body, handoff, n)
  ), created as (
    insert into handoffs (source, call_id, handoff, state, next_attempt_at, received_at, updated_at)
    select source, call_id, handoff::jsonb, 'queued', received_at, received_at, received_at from item order by n
    on conflict (source, call_id) do nothing
    returning source, call_id
  ), first_copy as (
    select distinct on (source, call_id) * from item order by source, call_id, n
  )
  insert into deliveries (source, received_at, status, http_status, call_id, event_id, headers, body)
  select f.source, f.received_at, 'accepted', 202, f.call_id, f.event_id, f.headers::jsonb, decode(f.body, 'hex')
  from first_copy f join created c on c.source = f.source and c.call_id = f.call_id
  returning id, source, call_id`;

function createIntake({ core, store, config, clock = Date.now, metrics, logger, onQueued = () => {} }) {
  const maxBytes = (config.limits && config.limits.maxBodyBytes) || 5 * 1024 * 1024;

  // What each source's configuration means for every request, worked out once: the core's auth
  // argument as JSON text, and the header names never stored.
  const perSource = new Map();
  function sourceSettings(source) {
    if (!perSource.has(source)) {
      const settings = (config.sources || {})[source] || {};
      perSource.set(source, {
        verify: settings.verify !== false,
        auth: JSON.stringify({ secrets: settings.secrets || [], ...(settings.auth ? { auth: settings.auth } : {}) }),
        secretHeaders: secretHeaderNames(settings.secretHeaders),
      });
    }
    return perSource.get(source);
  }

  async function verify(source, request, bytes) {
    const settings = sourceSettings(source);
    if (!settings.verify) return { ok: true, skipped: true };
    const headers = Object.fromEntries(request.headers);
    return core.verify(source, { headers, now: clock(), url: request.url, method: request.method }, bytes, settings.auth);
  }

  async function persist(source, bytes, headers, parsed) {
    const now = clock();
    if (parsed.errors) {
      const [row] = await store.query(
        `insert into deliveries (source, received_at, status, http_status, headers, body, errors)
         values ($1, $2, $7, $6, $3::jsonb, $4, $5::jsonb) returning id`,
        [source, now, JSON.stringify(headers), bytes, JSON.stringify(parsed.errors), parsed.httpStatus, parsed.ignored ? 'ignored' : 'rejected']);
      return { deliveryId: Number(row.id) };
    }
    return accepted.add({ source, now, headers, bytes, incoming: parsed.handoff });
  }

  // One accepted delivery inside a transaction, after its delivery row exists: exactly one handoff
  // per (source, call id). The first delivery creates it; any later one (a duplicate, or an update
  // such as Retell's call_analyzed) is merged into it by the core.
  async function mergeInto(q, { source, now, incoming }, deliveryId) {
    const [existing] = await q('select handoff, state, revision from handoffs where source = $1 and call_id = $2 for update',
      [source, incoming.call_id]);
    const merged = core.merge(existing.handoff, incoming).handoff;
    if (sameJson(merged, existing.handoff)) return { deliveryId, duplicate: true };
    // A changed handoff needs delivering again (an update), whatever state it was in, unless dead.
    await q(
      `update handoffs set handoff = $3::jsonb, revision = revision + 1, updated_at = $4,
         state = case when state in ('delivered', 'dead') then 'queued' else state end,
         next_attempt_at = case when state in ('delivered', 'dead') then $4 else next_attempt_at end,
         attempts = case when state in ('delivered', 'dead') then 0 else attempts end
       where source = $1 and call_id = $2`,
      [source, incoming.call_id, JSON.stringify(merged), now]);
    return { deliveryId, updated: true };
  }

  async function persistOne(q, item) {
    const { source, now, headers, bytes, incoming } = item;
    const [delivery] = await q(
      `insert into deliveries (source, received_at, status, http_status, call_id, event_id, headers, body)
       values ($1, $2, 'accepted', 202, $3, $4, $5::jsonb, $6) returning id`,
      [source, now, incoming.call_id, incoming.event_id || null, JSON.stringify(headers), bytes]);
    const created = await q(
      `insert into handoffs (source, call_id, handoff, state, next_attempt_at, received_at, updated_at)
       values ($1, $2, $3::jsonb, 'queued', $4, $4, $4)
       on conflict (source, call_id) do nothing returning revision`,
      [source, incoming.call_id, JSON.stringify(incoming), now]);
    if (created.length) return { deliveryId: Number(delivery.id), created: true };
    return mergeInto(q, item, Number(delivery.id));
  }

  // Every delivery that arrives while a group is being written joins the next one (group commit),
  // and the common case, a new call, costs ONE statement for the whole group: it creates the
  // handoffs and, for each one created, its delivery row. A single statement is its own
  // transaction (no begin/commit round trips), and the driver answers only after it commits.
  // A delivery whose call already has a handoff (a repeat, or an update such as Retell's
  // call_analyzed) stores nothing here; it takes the full transaction of persistOne afterwards.
  async function persistNewCalls(items) {
    let rows;
    try {
      rows = await store.query(NEW_CALLS_SQL, [
        items.map((i) => i.source), items.map((i) => i.now), items.map((i) => i.incoming.call_id),
        items.map((i) => i.incoming.event_id || null), items.map((i) => JSON.stringify(i.headers)),
        items.map((i) => i.bytes.toString('hex')), items.map((i) => JSON.stringify(i.incoming))], { name: 'intake_new_calls' });
    } catch (error) {
      if (items.length === 1) throw error;
      // Whatever failed the group, each delivery gets its own transaction and its own answer.
      rows = [];
    }
    const created = new Map(rows.map((r) => [`${r.source}\n${r.call_id}`, Number(r.id)]));
    const results = [];
    for (const item of items) {
      const key = `${item.source}\n${item.incoming.call_id}`;
      // Only the first copy of a call in the group created it: later copies merge into it.
      if (created.has(key)) {
        results.push({ deliveryId: created.get(key), created: true });
        created.delete(key);
      } else {
        results.push(await store.tx((q) => persistOne(q, item)).catch((error) => error));
      }
    }
    return results;
  }

  const accepted = groupCommit(persistNewCalls, { writers: store.kind === 'pglite' ? 1 : 4 });

  return async function intake(request, source) {
    if (!SOURCES.includes(source)) {
      return json(404, { error: 'unknown_source', message: `no webhook for "${source}"; sources: ${SOURCES.join(', ')}` });
    }
    const { bytes, tooLarge } = await readBody(request, maxBytes);
    if (tooLarge) {
      metrics && metrics.count('intake_rejected_total', { source, reason: 'too_large' });
      // The rest of the body is not read: close the connection so the client cannot reuse it.
      return json(413, { error: 'payload_too_large', message: `body is larger than ${maxBytes} bytes` }, { connection: 'close' });
    }
    const check = await verify(source, request, bytes);
    if (!check.ok) {
      metrics && metrics.count('intake_rejected_total', { source, reason: check.reason });
      logger && logger.warn('signature rejected', { source, reason: check.reason });
      return json(401, { error: check.reason, message: check.message });
    }
    const parsed = core.parse(source, bytes, { maxBytes });
    if (parsed.errors) {
      parsed.httpStatus = parsed.errors.every((e) => e.pointer === '' && /JSON|UTF-8|nest|deep/i.test(e.message)) ? 400 : 422;
      // A platform event that carries no handoff (Retell call_started, ElevenLabs post_call_audio,
      // a Vapi status-update…) is not the sender's mistake: answer 200 so the platform neither
      // retries it nor counts it as a failure (ElevenLabs disables a webhook after repeated
      // failures). The core's diagnose decides, so the rule lives once.
      if (parsed.httpStatus === 422) {
        const finding = (core.diagnose(source, bytes, { maxBytes }).findings || []).find((f) => f.code === 'event_not_a_handoff');
        if (finding) { parsed.ignored = finding.message; parsed.httpStatus = 200; }
      }
    }
    const headers = storableHeaders(request.headers, sourceSettings(source).secretHeaders);
    const saved = await persist(source, bytes, headers, parsed);
    if (parsed.ignored) {
      metrics && metrics.count('intake_ignored_total', { source });
      return json(200, { ignored: true, deliveryId: saved.deliveryId, message: parsed.ignored });
    }
    if (parsed.errors) {
      // Not JSON at all (the error addresses the whole document) is a bad request; JSON that is
      // not a valid handoff is unprocessable. Either way the body is kept for inspection.
      const notJson = parsed.httpStatus === 400;
      metrics && metrics.count('intake_rejected_total', { source, reason: notJson ? 'invalid_json' : 'invalid_payload' });
      return json(notJson ? 400 : 422, { error: notJson ? 'invalid_json' : 'invalid_payload', deliveryId: saved.deliveryId, errors: parsed.errors });
    }
    metrics && metrics.count('intake_accepted_total', { source });
    onQueued(source, parsed.handoff.call_id);
    const h = parsed.handoff;
    if (source === 'vapi' && h.source_event === 'transfer-destination-request') {
      // Vapi waits for the destination; the Zendesk handoff is already queued, so the conversation
      // is ready before the rep picks up.
      const destination = transferDestinationFor(config, h);
      if (!destination) return json(200, { error: 'No transfer destination is configured for this assistant.' });
      return json(200, { destination });
    }
    return json(202, { accepted: true, callId: h.call_id, deliveryId: saved.deliveryId,
      ...(saved.duplicate ? { duplicate: true } : {}), ...(saved.updated ? { update: true } : {}) });
  };
}

module.exports = { createIntake, storableHeaders };
