// A small ZAF v2 client speaking the framework's postMessage protocol, so the app needs nothing
// from Zendesk's CDN. What it does (from zendesk_app_framework_sdk lib/client.js):
//   - reads `origin` and `app_guid` from the iframe URL (query or hash) and refuses to start
//     without them or with an origin that is not Zendesk's (or localhost for local testing);
//   - posts JSON strings to window.parent: first {key:'iframe.handshake'}, then requests
//     {id, request:'get'|'invoke', params, appGuid, instanceGuid};
//   - accepts replies {id, result} / {id, error} and events {key:'zaf.<event>', message} only
//     from window.parent at that origin; unanswered requests fail after 10 s.

const REQUEST_TIMEOUT_MS = 10000;

// Zendesk product hosts, plus loopback for local development and tests (as the SDK allows).
const ALLOWED_ORIGIN = /^(https:\/\/[a-z0-9-]+(\.[a-z0-9-]+)*\.(zendesk|zendesk-staging|zopim|zdusercontent)\.com|https?:\/\/(localhost|127\.0\.0\.1)(:\d{1,5})?)$/i;

export function readFrameParams(location) {
  const params = new URLSearchParams(location.search);
  const hash = new URLSearchParams(String(location.hash || '').replace(/^#/, ''));
  return {
    origin: params.get('origin') || hash.get('origin'),
    appGuid: params.get('app_guid') || hash.get('app_guid'),
  };
}

export function isAllowedOrigin(origin) {
  return typeof origin === 'string' && ALLOWED_ORIGIN.test(origin);
}

class ZafError extends Error {
  constructor(detail) {
    super(detail && detail.message ? String(detail.message) : 'request failed');
    this.name = (detail && detail.name) || 'ZafError';
  }
}

// Returns null outside Zendesk (no or untrusted origin), like ZAFClient.init() returns false.
export function createZafClient(win = window) {
  const { origin, appGuid } = readFrameParams(win.location);
  if (!appGuid || !isAllowedOrigin(origin) || win.parent === win) return null;

  let nextId = 0;
  const pending = new Map();
  const handlers = new Map();
  const instanceGuid = appGuid;
  let context = null;
  let metadata = null;
  let resolveRegistered;
  const registered = new Promise((resolve) => { resolveRegistered = resolve; });

  const post = (message) => win.parent.postMessage(JSON.stringify({ ...message, appGuid, instanceGuid }), origin);

  function receive(event) {
    if (event.origin !== origin || event.source !== win.parent) return;
    let data = event.data;
    if (typeof data === 'string') {
      try { data = JSON.parse(data); } catch { return; }
    }
    if (!data || typeof data !== 'object') return;
    if (typeof data.key === 'string' && data.key.startsWith('zaf.')) {
      const name = data.key.slice(4);
      if (name === 'app.registered') {
        context = (data.message && data.message.context) || {};
        metadata = (data.message && data.message.metadata) || {};
        resolveRegistered({ context, metadata });
      }
      for (const handler of handlers.get(name) || []) handler(data.message);
      return;
    }
    const waiting = pending.get(data.id);
    if (!waiting) return;
    pending.delete(data.id);
    clearTimeout(waiting.timer);
    if (data.error) waiting.reject(new ZafError(data.error));
    else waiting.resolve(data.result);
  }

  function request(kind, params) {
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new ZafError({ name: 'TimeoutError', message: `Zendesk did not answer "${kind}" in time` }));
      }, REQUEST_TIMEOUT_MS);
      pending.set(id, { resolve, reject, timer });
      post({ id, request: kind, params });
    });
  }

  win.addEventListener('message', receive);
  post({ key: 'iframe.handshake', message: { version: '2.0' } });

  return {
    registered,
    context: () => context,
    metadata: () => metadata,
    // Resolves to {path: value, errors: {path: error}} like the SDK's bulk get.
    async get(paths) {
      const list = Array.isArray(paths) ? paths : [paths];
      const result = (await request('get', list)) || {};
      if (!Array.isArray(paths) && result.errors && result.errors[paths]) throw new ZafError(result.errors[paths]);
      return result;
    },
    async invoke(name, ...args) {
      const result = (await request('invoke', { [name]: args })) || {};
      if (result.errors && result.errors[name]) throw new ZafError(result.errors[name]);
      return result[name];
    },
    on(name, handler) {
      const list = handlers.get(name) || [];
      list.push(handler);
      handlers.set(name, list);
      post({ key: `iframe.on:${name}`, message: { subscriberCount: list.length } });
    },
  };
}
