'use strict';
// startSandbox(): a local stand-in for Zendesk (Sunshine Conversations v2 + the Support API subset
// phone-handoff uses) that keeps state in memory and shows what a rep would see at /sandbox/.
//
//   const sandbox = await startSandbox({ webhookTarget: 'http://127.0.0.1:9999/hook' });
//   sandbox.url                 // http://127.0.0.1:PORT
//   sandbox.credentials         // {appId, keyId, secret, integrationKeyId, integrationSecret, supportEmail, supportToken, webhookSecret}
//   sandbox.sunshineBaseUrl     // http://127.0.0.1:PORT/sc  (paths then start /v2/apps/{appId}/…)
//   await sandbox.close();
const fs = require('node:fs');
const path = require('node:path');
const { createState, DEFAULT_SETTINGS, MESSAGE_CAP } = require('./state');
const { createFaults } = require('./faults');
const { createWebhookDispatcher, routes: webhookRoutes } = require('./sunshine/webhooks');
const { createAgentWorkspace } = require('./agent-workspace');
const { createServer } = require('./server');
const { createInspector } = require('./inspect');
const { signJwt } = require('./auth');

const API_ROUTES = [
  ...require('./sunshine/users').routes,
  ...require('./sunshine/conversations').routes,
  ...require('./sunshine/messages').routes,
  ...require('./sunshine/switchboard').routes,
  ...require('./sunshine/apps').routes,
  ...webhookRoutes,
  ...require('./support').routes,
];

// The sidebar app: the packaged app (with its WebAssembly core) when it has been built, else the
// app's sources in web/ (which need the core next to them to start).
const REPO_ROOT = path.resolve(__dirname, '..', '..');
const APP_DIR_CANDIDATES = [path.join(REPO_ROOT, 'dist', 'phone-handoff-app'), path.join(REPO_ROOT, 'web')];
const defaultAppDir = () => APP_DIR_CANDIDATES.find((dir) => fs.existsSync(path.join(dir, 'assets', 'iframe.html'))) || APP_DIR_CANDIDATES[1];

async function startSandbox({
  port = 0, host = '127.0.0.1', webhookTarget, multiConversations = true, settings = {}, credentials,
  defaultIntegration = 'zd-agentWorkspace', appDir = defaultAppDir(),
} = {}) {
  const state = createState({ credentials, webhookTarget, defaultIntegration, settings: { multiConversations, ...settings } });
  const faults = createFaults();
  const webhooks = createWebhookDispatcher(state);
  const deps = () => ({ state, webhooks, agentWorkspace });
  const agentWorkspace = createAgentWorkspace(state, deps);
  const { server, send, readBody } = createServer({
    state, faults, webhooks, agentWorkspace, apiRoutes: API_ROUTES,
    sandboxHandler: (req, res, url) => inspector(req, res, url),
  });
  const inspector = createInspector({ state, faults, webhooks, agentWorkspace, appDir, send, readBody });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => { server.off('error', reject); resolve(); });
  });
  const address = server.address();
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostForUrl}:${address.port}`;

  let closing = null;
  return {
    url,
    sunshineBaseUrl: `${url}/sc`,
    supportBaseUrl: url,
    credentials: { ...state.credentials },
    state,
    faults,
    webhooks,
    // Resolves once every webhook delivery (with retries) has finished.
    webhooksIdle: () => webhooks.idle(),
    close() {
      if (!closing) {
        closing = new Promise((resolve) => {
          webhooks.close();
          server.releaseHolds();
          server.close(() => resolve());
          server.closeAllConnections();
        });
      }
      return closing;
    },
  };
}

module.exports = { startSandbox, signJwt, DEFAULT_SETTINGS, MESSAGE_CAP };
