'use strict';
// Everything the sandbox remembers, in memory: the messaging app (keys, integrations, the
// switchboard), messaging users and conversations, the Support side (users, tickets), settings,
// and the request log. Credentials survive reset() so a running client keeps working.
const crypto = require('node:crypto');

// The documented cap [SPEC]: 30,000 messages per conversation, then 423 Locked.
const MESSAGE_CAP = 30000;
// "JSON 100kb" [SPEC]; body-parser's "100kb" means 100 * 1024 bytes.
const MAX_JSON_BYTES = 100 * 1024;

const DEFAULT_SETTINGS = Object.freeze({
  // App setting multiConvoEnabled. Off: a second personal conversation for a user is refused
  // with singleConversationError (the real status/code is [VERIFY]; see docs/sandbox.md).
  multiConversations: true,
  singleConversationError: {
    status: 409,
    code: 'conflict',
    title: 'Multi-conversations is disabled and the user already has a personal conversation',
  },
  messageCap: MESSAGE_CAP,
  maxJsonBytes: MAX_JSON_BYTES,
  // The spec gives the limit but no status for exceeding it [VERIFY]; 413 is what an
  // Express/body-parser stack answers.
  bodyTooLarge: { status: 413, code: 'payload_too_large', title: 'Request body exceeds the 100kb JSON limit' },
  // Support search is index-based: a new Support user becomes searchable after this delay.
  indexingDelayMs: 0,
  // Agent Workspace: history copied into a new ticket when passControl has no first_message_id.
  ticketHistoryCount: 10,
  // Whether messages sent with destination {integrationType:"none"} show in the ticket [VERIFY].
  silentMessagesInTicket: true,
  // Support merge rules; the real rules are [VERIFY], so each is a flag and the default is strict.
  merge: { rejectAgents: true, rejectSsoExternalIds: true, rejectPhoneOnlyTarget: true },
  // Support "Validate user phone numbers" setting (off by default in Zendesk).
  validatePhones: false,
  // Webhook retry schedule and timeout are multiplied by this (tests use e.g. 0.01).
  webhookTimeFactor: 1,
  // > 0: events for one webhook within this many ms share one POST (events[] holds several).
  webhookBatchMs: 0,
  // How long a "timeout" fault holds a request before dropping it.
  timeoutHoldMs: 30000,
  requestLogSize: 1000,
  // The sidebar app's installation settings, as ZAF's metadata().settings gives them to the app
  // (e.g. {"sessionIdFieldId": 360001}); secure settings never reach an app, so none belong here.
  appSettings: {},
});

function hex(bytes) {
  return crypto.randomBytes(bytes).toString('hex');
}

function secret() {
  return crypto.randomBytes(24).toString('base64url');
}

// 24-hex ids that sort by creation (seconds, then a process-wide counter), like Mongo ObjectIds:
// cursor pagination can then compare ids as strings, as Sunshine does.
function makeIdGenerator() {
  let counter = parseInt(hex(4), 16);
  return () => {
    const seconds = Math.floor(Date.now() / 1000).toString(16).padStart(8, '0');
    counter += 1;
    return seconds + counter.toString(16).padStart(16, '0').slice(-16);
  };
}

function makeCredentials(overrides = {}) {
  return {
    appId: hex(12),
    keyId: `app_${hex(12)}`,
    secret: secret(),
    integrationKeyId: `int_${hex(12)}`,
    integrationSecret: secret(),
    supportEmail: 'sandbox-admin@example.com',
    supportToken: secret(),
    webhookSecret: secret(),
    ...overrides,
  };
}

function mergeSettings(base, patch) {
  const out = { ...base };
  for (const [key, value] of Object.entries(patch || {})) {
    if (!(key in DEFAULT_SETTINGS)) throw new Error(`unknown sandbox setting "${key}"`);
    const isObject = typeof DEFAULT_SETTINGS[key] === 'object';
    if (isObject && (typeof value !== 'object' || value === null || Array.isArray(value))) {
      throw new Error(`sandbox setting "${key}" must be an object`);
    }
    if (!isObject && typeof value !== typeof DEFAULT_SETTINGS[key]) {
      throw new Error(`sandbox setting "${key}" must be a ${typeof DEFAULT_SETTINGS[key]}`);
    }
    out[key] = isObject ? { ...base[key], ...value } : value;
  }
  return out;
}

function createState({ credentials: credentialOverrides, settings, webhookTarget, defaultIntegration } = {}) {
  const credentials = makeCredentials(credentialOverrides);
  const newId = makeIdGenerator();
  const state = { credentials, newId, settings: mergeSettings(DEFAULT_SETTINGS, settings) };

  state.reset = () => {
    const phoneHandoffIntegrationId = newId();
    const agentWorkspaceIntegrationId = newId();
    const awSbiId = newId();
    const phSbiId = newId();
    state.app = { id: credentials.appId, displayName: 'phone-handoff sandbox' };
    state.keys = new Map([
      [credentials.keyId, { id: credentials.keyId, secret: credentials.secret, scope: 'app' }],
      [credentials.integrationKeyId, {
        id: credentials.integrationKeyId, secret: credentials.integrationSecret,
        scope: 'integration', integrationId: phoneHandoffIntegrationId,
      }],
    ]);
    state.integrations = new Map([
      [phoneHandoffIntegrationId, {
        id: phoneHandoffIntegrationId, type: 'custom', status: 'active', displayName: 'phone-handoff',
        webhooks: [{
          id: newId(), version: 'v2', target: webhookTarget || null,
          triggers: ['conversation:message', 'switchboard:passControl', 'switchboard:passControl:failure',
            'switchboard:releaseControl'],
          secret: credentials.webhookSecret, includeFullUser: false, includeFullSource: false,
        }],
      }],
      [agentWorkspaceIntegrationId, {
        id: agentWorkspaceIntegrationId, type: 'zd:agentWorkspace', status: 'active',
        displayName: 'Agent Workspace', webhooks: [],
      }],
    ]);
    state.switchboardIntegrations = [
      {
        id: awSbiId, name: 'zd-agentWorkspace', integrationId: agentWorkspaceIntegrationId,
        integrationType: 'zd:agentWorkspace', deliverStandbyEvents: false,
        // After a ticket closes, control goes back here (a typical admin configuration).
        nextSwitchboardIntegrationId: phSbiId, messageHistoryCount: null,
      },
      {
        id: phSbiId, name: 'phone-handoff', integrationId: phoneHandoffIntegrationId,
        integrationType: 'custom', deliverStandbyEvents: true,
        nextSwitchboardIntegrationId: awSbiId, messageHistoryCount: null,
      },
    ];
    // Agent Workspace owns new conversations: the realistic, risky default (reference §4).
    state.switchboard = {
      id: newId(), enabled: true,
      defaultSwitchboardIntegrationId: defaultIntegration === 'phone-handoff' ? phSbiId : awSbiId,
    };
    state.users = new Map();
    state.conversations = new Map();
    const admin = {
      id: 1, name: 'Sandbox Admin', email: credentials.supportEmail, phone: null, external_id: null,
      role: 'admin', verified: true, active: true, createdMs: Date.now(), indexedMs: Date.now(),
    };
    state.support = { users: new Map([[admin.id, admin]]), tickets: new Map(), nextUserId: 1000000001, nextTicketId: 1 };
    state.requestLog = [];
    state.requestSeq = 0;
    state.deliveries = [];
  };
  state.reset();

  state.updateSettings = (patch) => { state.settings = mergeSettings(state.settings, patch); };
  state.findUser = (idOrExternalId) => state.users.get(idOrExternalId)
    || [...state.users.values()].find((u) => u.externalId === idOrExternalId) || null;
  state.sbiById = (id) => state.switchboardIntegrations.find((s) => s.id === id) || null;
  state.agentWorkspaceSbi = () => state.switchboardIntegrations.find((s) => s.integrationType === 'zd:agentWorkspace') || null;
  return state;
}

module.exports = { createState, DEFAULT_SETTINGS, MESSAGE_CAP, MAX_JSON_BYTES };
