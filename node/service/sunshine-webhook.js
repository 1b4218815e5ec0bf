'use strict';
// POST /webhooks/sunshine: events from Sunshine Conversations about conversations we created.
// The X-API-Key header is checked in constant time. Only two events change anything (a ticket
// closed, a failed passControl to Agent Workspace); those are de-duplicated on their id (Sunshine
// retries) and applied. Every other event (our own messages echoed back, caller messages, other
// apps' conversations) is acknowledged without touching the store: a handoff posts several
// messages, and on the embedded store each write would queue in front of its delivery.
const crypto = require('node:crypto');

const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function sameSecret(given, expected) {
  const a = crypto.createHash('sha256').update(String(given)).digest();
  const b = crypto.createHash('sha256').update(String(expected)).digest();
  return crypto.timingSafeEqual(a, b);
}

function createSunshineWebhook({ store, config, metrics, logger, clock = Date.now, onQueued = () => {} }) {
  return async function sunshineWebhook(request) {
    const expected = config.zendesk && config.zendesk.webhookSecret;
    const given = request.headers.get('x-api-key');
    if (!expected) return json(401, { error: 'no_secret_configured', message: 'zendesk.webhookSecret is not configured' });
    if (!given || !sameSecret(given, expected)) return json(401, { error: 'bad_api_key', message: 'X-API-Key does not match' });
    let envelope;
    try { envelope = JSON.parse(await request.text()); } catch { return json(400, { error: 'invalid_json' }); }
    const events = Array.isArray(envelope && envelope.events) ? envelope.events : [];
    let fresh = 0;
    let ignored = 0;
    for (const event of events) {
      if (!event || typeof event.id !== 'string') continue;
      if (!actionable(event)) { ignored++; continue; }
      const inserted = await store.query(
        `insert into sunshine_events (event_id, type, received_at, payload) values ($1, $2, $3, $4::jsonb)
         on conflict (event_id) do nothing returning event_id`,
        [event.id, String(event.type), clock(), JSON.stringify(event.payload || {})]);
      if (!inserted.length) continue;
      fresh++;
      await apply(event);
    }
    metrics && metrics.count('sunshine_events_total', {}, fresh);
    return json(200, { received: events.length, new: fresh, ignored });
  };

  function handoffKey(event) {
    const metadata = event.payload && event.payload.conversation && event.payload.conversation.metadata;
    const callId = metadata && metadata.phone_handoff_call_id;
    const source = metadata && metadata.phone_handoff_source;
    return callId && source ? { source: String(source), callId: String(callId) } : null;
  }

  function actionable(event) {
    if (!handoffKey(event)) return false;  // not one of ours
    const payload = event.payload || {};
    return (event.type === 'switchboard:passControl' && payload.reason === 'ticketClosed') ||
      event.type === 'switchboard:passControl:failure';
  }

  async function apply(event) {
    const payload = event.payload || {};
    const { source, callId } = handoffKey(event);
    if (event.type === 'switchboard:passControl' && payload.reason === 'ticketClosed') {
      await store.query(
        `update handoffs set progress = jsonb_set(progress, '{ticketClosedAt}', to_jsonb($3::bigint)), updated_at = $3
         where source = $1 and call_id = $2`, [source, callId, clock()]);
      logger && logger.info('ticket closed', { source, callId });
    }
    if (event.type === 'switchboard:passControl:failure') {
      // Agent Workspace did not take control: deliver again (the plan re-issues passControl).
      await store.query(
        `update handoffs set progress = progress #- '{handoff,passed}', state = 'retrying', next_attempt_at = $3,
           last_error = $4, updated_at = $3 where source = $1 and call_id = $2`,
        [source, callId, clock(), `passControl failed: ${(payload.error && payload.error.code) || 'unknown'}`]);
      logger && logger.warn('passControl failed; retrying', { source, callId, code: payload.error && payload.error.code });
      onQueued(source, callId);
    }
  }
}

module.exports = { createSunshineWebhook };
