'use strict';
// POST /webhooks/sunshine: events from Sunshine Conversations about conversations we created.
// The X-API-Key header is checked in constant time; events are de-duplicated on their id (Sunshine
// retries); our own echoes (messages we posted, source type api:conversations) are ignored.
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
    for (const event of events) {
      if (!event || typeof event.id !== 'string') continue;
      const inserted = await store.query(
        `insert into sunshine_events (event_id, type, received_at, payload) values ($1, $2, $3, $4::jsonb)
         on conflict (event_id) do nothing returning event_id`,
        [event.id, String(event.type), clock(), JSON.stringify(event.payload || {})]);
      if (!inserted.length) continue;
      fresh++;
      await apply(event);
    }
    metrics && metrics.count('sunshine_events_total', {}, fresh);
    return json(200, { received: events.length, new: fresh });
  };

  async function apply(event) {
    const payload = event.payload || {};
    const conversation = payload.conversation || {};
    const callId = conversation.metadata && conversation.metadata.phone_handoff_call_id;
    const source = conversation.metadata && conversation.metadata.phone_handoff_source;
    if (!callId || !source) return;  // not one of ours
    if (event.type === 'conversation:message') {
      const m = payload.message || {};
      if (m.source && m.source.type === 'api:conversations') return;  // our own echo
      return;
    }
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
