'use strict';
// A small client for tests and tools that drive the sandbox: Sunshine calls (Basic app key by
// default, or any Authorization), Support calls, and the inspection API. Every call returns
// {status, headers, body} and never throws on an HTTP error status.
const http = require('node:http');

function request(baseUrl, method, path, { body, headers = {}, rawBody, timeoutMs = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const payload = rawBody !== undefined ? rawBody : body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(new URL(path, baseUrl), {
      method,
      headers: {
        ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
        ...headers,
      },
    }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed = text;
        try { parsed = text ? JSON.parse(text) : undefined; } catch { /* keep text */ }
        resolve({ status: res.statusCode, headers: res.headers, body: parsed });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`request timed out after ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}

const basic = (user, password) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

function sandboxClient(sandbox) {
  const c = sandbox.credentials;
  const appAuth = basic(c.keyId, c.secret);
  const app = (p) => `/sc/v2/apps/${c.appId}${p}`;
  return {
    appAuth,
    integrationAuth: basic(c.integrationKeyId, c.integrationSecret),
    supportAuth: basic(`${c.supportEmail}/token`, c.supportToken),
    app,
    // sunshine('POST', '/users', {body}) → /sc/v2/apps/{appId}/users
    sunshine(method, p, options = {}) {
      return request(sandbox.url, method, app(p), { ...options, headers: { Authorization: appAuth, ...(options.headers || {}) } });
    },
    support(method, p, options = {}) {
      return request(sandbox.url, method, p, { ...options, headers: { Authorization: basic(`${c.supportEmail}/token`, c.supportToken), ...(options.headers || {}) } });
    },
    inspect(method, p, options = {}) {
      return request(sandbox.url, method, `/sandbox/api${p}`, options);
    },
    raw: (method, p, options) => request(sandbox.url, method, p, options),
  };
}

// Runs body(sandbox, client) against a fresh sandbox and always closes it.
async function withSandbox(options, body) {
  const { startSandbox } = require('./index');
  const sandbox = await startSandbox(options);
  try {
    return await body(sandbox, sandboxClient(sandbox));
  } finally {
    await sandbox.close();
  }
}

module.exports = { request, basic, sandboxClient, withSandbox };
