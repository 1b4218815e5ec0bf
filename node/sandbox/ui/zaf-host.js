// A stand-in for the Zendesk host page that a ZAF v2 app (ZAFClient) talks to by postMessage.
// The SDK posts JSON strings to window.parent: first {key:'iframe.handshake'}, then requests
// {id, request:'get'|'set'|'invoke', params, appGuid}; it accepts replies {id, result} or
// {id, error} and events {key:'zaf.<event>', message} only from the origin in its URL. This host
// answers get (ticket.*, currentUser, currentAccount), set (ticket.tags, custom fields) and
// invoke (resize), passes `settings` as the installation settings (metadata), and can trigger
// events. Usable from a <script> tag (window.PhoneHandoffZafHost)
// or require() in tests.
(function expose(root) {
  'use strict';

  function customFieldId(path) {
    const match = /^ticket\.customField:custom_field_(\d+)$/.exec(path);
    return match ? Number(match[1]) : null;
  }

  // ticket: {id, subject, status, tags, requester, customFields: {id: value}, conversation}
  function resolvePath(path, data) {
    const ticket = data.ticket || {};
    const fieldId = customFieldId(path);
    if (fieldId !== null) return Object.prototype.hasOwnProperty.call(ticket.customFields || {}, fieldId) ? ticket.customFields[fieldId] : null;
    const roots = { ticket: data.ticket, currentUser: data.currentUser, currentAccount: data.currentAccount };
    const [head, ...rest] = path.split('.');
    let value = roots[head];
    for (const key of rest) {
      if (value === null || value === undefined || typeof value !== 'object') return undefined;
      value = value[key];
    }
    return value;
  }

  function createZafHost(options) {
    const { iframe, appGuid = 'sandbox', getData, onResize, onSet, onMessage, settings = {} } = options;
    const subscriptions = new Map();
    let registered = false;
    const targetOrigin = () => new URL(iframe.src, root.location.href).origin;

    function post(message) {
      if (!iframe.contentWindow) return;
      iframe.contentWindow.postMessage(JSON.stringify(message), targetOrigin());
    }

    function context(data) {
      return {
        product: 'support', location: 'ticket_sidebar', instanceGuid: appGuid,
        ticketId: data.ticket ? data.ticket.id : null, account: data.currentAccount || { subdomain: 'sandbox' },
        currentUser: data.currentUser,
      };
    }

    function answerGet(params) {
      const data = getData();
      const result = { errors: {} };
      for (const path of Array.isArray(params) ? params : [params]) {
        const value = resolvePath(String(path), data);
        if (value === undefined) result.errors[path] = { name: 'InvalidPathError', message: 'Could not find the path', path };
        else result[path] = value;
      }
      return result;
    }

    function answerSet(params) {
      const result = { errors: {} };
      for (const [path, value] of Object.entries(params || {})) {
        if (path === 'ticket.tags' || customFieldId(path) !== null) {
          if (onSet) onSet(path, value);
          result[path] = value;
        } else {
          result.errors[path] = { name: 'InvalidPathError', message: 'This path cannot be set in the sandbox', path };
        }
      }
      return result;
    }

    function answerInvoke(params) {
      const result = { errors: {} };
      for (const [name, args] of Object.entries(params || {})) {
        if (name === 'resize') {
          if (onResize) onResize(args[0] || {});
          result[name] = null;
        } else {
          result.errors[name] = { name: 'InvalidInvokeError', message: 'This action is not available in the sandbox', path: name };
        }
      }
      return result;
    }

    function listener(event) {
      if (event.source !== iframe.contentWindow) return;
      let data = event.data;
      if (typeof data === 'string') {
        try { data = JSON.parse(data); } catch { return; }
      }
      if (!data || typeof data !== 'object') return;
      if (onMessage) onMessage(data);
      if (data.key === 'iframe.handshake') {
        registered = true;
        post({ key: 'zaf.app.registered', message: { context: context(getData()), metadata: { appId: 0, installationId: 0, name: 'phone-handoff', version: 'sandbox', settings: { ...settings } } } });
        return;
      }
      if (typeof data.key === 'string' && data.key.startsWith('iframe.on:')) {
        subscriptions.set(data.key.slice('iframe.on:'.length), (data.message && data.message.subscriberCount) || 1);
        return;
      }
      if (typeof data.key === 'string' && data.key.startsWith('iframe.off:')) {
        subscriptions.delete(data.key.slice('iframe.off:'.length));
        return;
      }
      if (data.id === undefined || !data.request) return;
      try {
        const handlers = { get: answerGet, set: answerSet, invoke: answerInvoke };
        const handler = handlers[data.request];
        if (!handler) post({ id: data.id, error: { name: 'InvalidRequestError', message: `unknown request ${data.request}` } });
        else post({ id: data.id, result: handler(data.params) });
      } catch (err) {
        post({ id: data.id, error: { name: 'HostError', message: String(err && err.message) } });
      }
    }

    root.addEventListener('message', listener);
    return {
      // Fires a framework event in the app, e.g. trigger('ticket.conversation.changed', [...]).
      trigger(event, message) { post({ key: `zaf.${event}`, message }); },
      isRegistered: () => registered,
      subscriptions: () => new Map(subscriptions),
      destroy() { root.removeEventListener('message', listener); },
    };
  }

  const api = { createZafHost, resolvePath };
  if (typeof module === 'object' && module.exports) module.exports = api;
  root.PhoneHandoffZafHost = api;
}(typeof window !== 'undefined' ? window : globalThis));
