'use strict';
// The service as a web-standard handler: fetch(Request) -> Response. The same object serves a
// Node HTTP server (node/service/server.js), an AWS Lambda function URL or a Vercel-style function
// (examples/), so intake behaves identically everywhere.
const { createIntake } = require('./intake.js');
const { createSunshineWebhook } = require('./sunshine-webhook.js');

const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function createApp({ core, store, config, metrics, logger, clock = Date.now, onQueued, ready = () => true }) {
  const intake = createIntake({ core, store, config, metrics, logger, clock, onQueued });
  const sunshine = createSunshineWebhook({ store, config, metrics, logger, clock, onQueued });

  async function handle(request) {
    const url = new URL(request.url);
    const route = url.pathname.replace(/\/+$/, '') || '/';
    if (request.method === 'GET' && route === '/healthz') return json(200, { ok: true });
    if (request.method === 'GET' && route === '/readyz') {
      const ok = await ready();
      return json(ok ? 200 : 503, { ready: ok });
    }
    if (request.method === 'GET' && route === '/metrics' && metrics) {
      return new Response(await metrics.render(), { headers: { 'content-type': 'text/plain; version=0.0.4' } });
    }
    const m = /^\/webhooks\/([a-z0-9_-]+)$/.exec(route);
    if (m) {
      if (request.method !== 'POST') return json(405, { error: 'method_not_allowed', message: 'webhooks take POST' });
      if (m[1] === 'sunshine') return sunshine(request);
      return intake(request, m[1]);
    }
    return json(404, { error: 'not_found', message: `no route for ${request.method} ${url.pathname}` });
  }

  return {
    async fetch(request) {
      try {
        return await handle(request);
      } catch (err) {
        logger && logger.error('request failed', { error: err.message, path: new URL(request.url).pathname });
        // Not acknowledged: the sender retries, so nothing is lost.
        return json(500, { error: 'internal', message: 'the request could not be stored; retry later' });
      }
    },
  };
}

module.exports = { createApp };
