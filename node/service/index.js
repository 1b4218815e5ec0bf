'use strict';
// startService(): the webhook service on one box — store, intake, workers, metrics — optionally
// with the sandbox Zendesk inside the same process (`phone-handoff serve --sandbox`, `npm start`).
const crypto = require('node:crypto');
const path = require('node:path');
const core = require('../index.js');
const { loadConfig } = require('./config.js');
const { openStore } = require('./store.js');
const { createApp } = require('./app.js');
const { createWorker } = require('./worker.js');
const { createZendeskClient } = require('./zendesk-client.js');
const { createMetrics } = require('./metrics.js');
const { createLogger } = require('./logger.js');
const { listen } = require('./node-http.js');

function redactText(text) {
  // Logs pass through the core's redaction: no unmasked card number reaches a log line.
  return /\d/.test(text) ? core.redact(text).text : text;
}

async function startService({ configFile, env = process.env, overrides = {}, sandbox: withSandbox = false, logStream, startWorkers = true } = {}) {
  let sandbox = null;
  if (withSandbox) {
    const { startSandbox } = require('../sandbox/index.js');
    sandbox = await startSandbox({ defaultIntegration: 'zd-agentWorkspace' });
    const c = sandbox.credentials;
    // Dev secrets for every source not configured, printed at start so `phone-handoff send` can sign.
    const devSources = {};
    for (const source of core.sources) {
      const random = crypto.randomBytes(24);
      // Canonical deliveries use Standard Webhooks, whose secrets are "whsec_" + base64.
      devSources[source] = { secrets: [source === 'canonical' ? `whsec_${random.toString('base64')}` : `dev-${source}-${random.toString('hex')}`] };
    }
    // Vapi has no fixed scheme; the sandbox uses its HMAC credential with the defaults.
    devSources.vapi.auth = { type: 'hmac', algorithm: 'sha256' };
    overrides = {
      sandbox: true,
      dataDir: path.join(require('node:os').tmpdir(), `phone-handoff-${process.pid}`),
      ...overrides,
      zendesk: { url: sandbox.url, appId: c.appId, sunshine: { keyId: c.keyId, secret: c.secret },
        support: { email: c.supportEmail, token: c.supportToken }, webhookSecret: c.webhookSecret, ...(overrides.zendesk || {}) },
      sources: { ...devSources, ...(overrides.sources || {}) },
      handoff: { sunshine: { integration: 'phone-handoff' }, matchCallers: true, ...(overrides.handoff || {}) },
    };
  }
  const config = loadConfig({ file: configFile, env, overrides });
  const logger = createLogger({ stream: logStream, level: config.logLevel || 'info', redactText });
  const metrics = createMetrics();
  const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const zendesk = createZendeskClient(config.zendesk, { timeoutMs: config.delivery.requestTimeoutMs });
  const worker = createWorker({ core, store, zendesk, config, metrics, logger });
  let loops = null;
  metrics.gauge('handoff_queue_depth', async () => (await store.query(
    `select state, count(*)::int as n from handoffs where state <> 'delivered' group by state`))
    .map((r) => ({ labels: { state: r.state }, value: r.n })), 'handoffs not yet delivered, by state');
  const app = createApp({ core, store, config, metrics, logger, onQueued: () => loops && loops.nudge(), ready: async () => {
    try { await store.query('select 1'); return true; } catch { return false; }
  } });
  const http = await listen(app, { port: config.port, host: config.host });
  if (sandbox) {
    // The sandbox's Sunshine webhook (X-API-Key signed) now points at our /webhooks/sunshine.
    const res = await fetch(`${sandbox.url}/sandbox/api/webhooks/target`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ target: `${http.url}/webhooks/sunshine` }),
    });
    if (!res.ok) throw new Error(`could not point the sandbox's webhook at the service (${res.status})`);
  }
  if (startWorkers) loops = worker.start();
  logger.info('phone-handoff service started', { url: http.url, store: store.kind, backend: core.backend.name, sandbox: sandbox ? sandbox.url : undefined });
  return {
    url: http.url, config, store, worker, app, sandbox, metrics,
    async close() {
      if (loops) await loops.stop();
      await http.close();
      await store.close();
      if (sandbox) await sandbox.close();
    },
  };
}

module.exports = { startService };
