'use strict';
// The service for serverless functions: the same web-standard handler as `serve`, without
// background workers (a function instance may freeze between invocations). Intake stores and
// acknowledges; a scheduled function calls drain() to deliver what is due. Works with PostgreSQL
// (DATABASE_URL) for functions; the embedded store suits a single long-lived instance only.
const core = require('../index.js');
const { loadConfig } = require('./config.js');
const { openStore } = require('./store.js');
const { createApp } = require('./app.js');
const { createWorker } = require('./worker.js');
const { createZendeskClient } = require('./zendesk-client.js');
const { createLogger } = require('./logger.js');

function createServerless({ configFile, env = process.env, overrides = {}, deliverInline = false } = {}) {
  let ready = null;
  // Opened on first use and kept for the life of the function instance (warm starts reuse it).
  const parts = () => {
    if (!ready) {
      ready = (async () => {
        const config = loadConfig({ file: configFile, env, overrides });
        const logger = createLogger({ level: config.logLevel || 'info', redactText: (t) => (/\d/.test(t) ? core.redact(t).text : t) });
        const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
        const zendesk = createZendeskClient(config.zendesk, { timeoutMs: config.delivery.requestTimeoutMs });
        const worker = createWorker({ core, store, zendesk, config, logger });
        const app = createApp({ core, store, config, logger });
        return { config, store, worker, app };
      })();
      ready.catch(() => { ready = null; });
    }
    return ready;
  };

  return {
    // fetch(Request) -> Response. With deliverInline, the function also delivers what it just
    // accepted before answering (for platforms that allow a long enough timeout).
    async fetch(request) {
      const { app, worker } = await parts();
      const response = await app.fetch(request);
      if (deliverInline && response.status === 202) await worker.drain({ maxJobs: 10 });
      return response;
    },
    // drain(): deliver every due handoff now; returns how many jobs ran. For scheduled functions.
    async drain(options) {
      const { worker } = await parts();
      return worker.drain(options);
    },
    async close() {
      if (!ready) return;
      const { store } = await ready;
      ready = null;
      await store.close();
    },
  };
}

// AWS Lambda (function URL or API Gateway HTTP API, payload v2) <-> web-standard Request/Response.
function lambdaEventToRequest(event) {
  const headers = new Headers();
  for (const [k, v] of Object.entries(event.headers || {})) if (v !== undefined) headers.set(k, v);
  if (Array.isArray(event.cookies) && event.cookies.length) headers.set('cookie', event.cookies.join('; '));
  const host = headers.get('host') || (event.requestContext && event.requestContext.domainName) || 'lambda.local';
  const query = event.rawQueryString ? `?${event.rawQueryString}` : '';
  const method = (event.requestContext && event.requestContext.http && event.requestContext.http.method) || 'GET';
  const body = event.body === undefined || event.body === null ? undefined
    : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  return new Request(`https://${host}${event.rawPath || '/'}${query}`, { method, headers, body: method === 'GET' || method === 'HEAD' ? undefined : body });
}

async function responseToLambda(response) {
  const bytes = Buffer.from(await response.arrayBuffer());
  return {
    statusCode: response.status,
    headers: Object.fromEntries(response.headers),
    body: bytes.toString('base64'),
    isBase64Encoded: true,
  };
}

module.exports = { createServerless, lambdaEventToRequest, responseToLambda };
