'use strict';
// Service configuration: one file (JSON or YAML) plus environment variables, validated on start.
// Every problem is reported at once, each with the key it concerns, and no message ever contains
// a secret's value.
const fs = require('node:fs');
const path = require('node:path');
const { SOURCES } = require('../lib/api.js');

const DEFAULTS = Object.freeze({
  host: '127.0.0.1',
  port: 8080,
  dataDir: '.phone-handoff/data',
  delivery: { maxAgeHours: 24, leaseSeconds: 60, concurrency: 4, requestTimeoutMs: 10_000, baseDelayMs: 1_000, maxDelayMs: 300_000, pollMs: 250 },
  limits: { maxBodyBytes: 5 * 1024 * 1024 },
});

function readConfigFile(file) {
  const text = fs.readFileSync(file, 'utf8');
  if (/\.ya?ml$/i.test(file)) {
    let yaml;
    try { yaml = require('js-yaml'); } catch { throw new Error(`${file}: YAML needs the "js-yaml" package (npm install js-yaml), or use JSON`); }
    return yaml.load(text) || {};
  }
  try { return JSON.parse(text); } catch (err) { throw new Error(`${file}: not valid JSON (${err.message})`); }
}

function fromEnvironment(env) {
  const sources = {};
  for (const source of SOURCES) {
    const value = env[`PHONE_HANDOFF_SECRET_${source.toUpperCase()}`];
    if (value) sources[source] = { secrets: value.split(',').map((s) => s.trim()).filter(Boolean) };
  }
  const zendesk = {};
  if (env.ZENDESK_SUBDOMAIN) zendesk.subdomain = env.ZENDESK_SUBDOMAIN;
  if (env.ZENDESK_URL) zendesk.url = env.ZENDESK_URL;
  if (env.ZENDESK_APP_ID) zendesk.appId = env.ZENDESK_APP_ID;
  if (env.ZENDESK_KEY_ID || env.ZENDESK_SECRET) zendesk.sunshine = { keyId: env.ZENDESK_KEY_ID, secret: env.ZENDESK_SECRET };
  if (env.ZENDESK_SUPPORT_EMAIL || env.ZENDESK_SUPPORT_TOKEN) zendesk.support = { email: env.ZENDESK_SUPPORT_EMAIL, token: env.ZENDESK_SUPPORT_TOKEN };
  if (env.ZENDESK_WEBHOOK_SECRET) zendesk.webhookSecret = env.ZENDESK_WEBHOOK_SECRET;
  const out = { sources, zendesk };
  if (env.DATABASE_URL) out.databaseUrl = env.DATABASE_URL;
  if (env.PORT) out.port = Number(env.PORT);
  return out;
}

const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// Deep merge where later layers win; arrays are replaced, not concatenated.
function layer(...layers) {
  const out = {};
  for (const l of layers) {
    for (const [k, v] of Object.entries(l || {})) {
      out[k] = isObject(v) && isObject(out[k]) ? layer(out[k], v) : v;
    }
  }
  return out;
}

function validate(config) {
  const problems = [];
  const need = (cond, key, message) => { if (!cond) problems.push(`${key}: ${message}`); };
  need(Number.isInteger(config.port) && config.port >= 0 && config.port < 65536, 'port', 'must be a whole number from 0 to 65535');
  for (const [source, settings] of Object.entries(config.sources || {})) {
    need(SOURCES.includes(source), `sources.${source}`, `is not a source (sources: ${SOURCES.join(', ')})`);
    if (settings.secrets !== undefined) {
      need(Array.isArray(settings.secrets) && settings.secrets.every((s) => typeof s === 'string' && s.length > 0),
        `sources.${source}.secrets`, 'must be a list of non-empty strings');
    }
  }
  const z = config.zendesk || {};
  if (!config.sandbox) {
    need(z.subdomain || z.url, 'zendesk.subdomain', 'is required (e.g. "acme" for acme.zendesk.com), or set zendesk.url');
    need(typeof z.appId === 'string' && z.appId, 'zendesk.appId', 'is required: the App ID shown in Admin Center → Apps and integrations → APIs → Conversations API');
    const keyId = z.sunshine && z.sunshine.keyId;
    need(typeof keyId === 'string' && keyId, 'zendesk.sunshine.keyId', 'is required (an app key: its Key ID starts with "app_")');
    need(z.sunshine && z.sunshine.secret, 'zendesk.sunshine.secret', 'is required (shown once when the key is created)');
    if (typeof z.subdomain === 'string') {
      need(/^[a-z0-9][a-z0-9-]*$/i.test(z.subdomain), 'zendesk.subdomain',
        'must be just the subdomain, e.g. "acme" — not "acme.zendesk.com" and not a URL');
    }
  }
  const d = config.delivery;
  for (const key of ['maxAgeHours', 'leaseSeconds', 'concurrency', 'requestTimeoutMs', 'baseDelayMs', 'maxDelayMs', 'pollMs']) {
    need(typeof d[key] === 'number' && d[key] > 0, `delivery.${key}`, 'must be a positive number');
  }
  return problems;
}

// loadConfig({ file, env, overrides }): defaults < file < environment < overrides.
function loadConfig({ file, env = process.env, overrides = {} } = {}) {
  const fromFile = file ? readConfigFile(path.resolve(file)) : {};
  const config = layer(DEFAULTS, fromFile, fromEnvironment(env), overrides);
  const problems = validate(config);
  if (problems.length) {
    const err = new Error(`configuration is not valid:\n  - ${problems.join('\n  - ')}`);
    err.code = 'ERR_PHONE_HANDOFF_CONFIG';
    err.problems = problems;
    throw err;
  }
  return config;
}

module.exports = { loadConfig, DEFAULTS };
