// Shared by the service tests: a sandbox Zendesk, a service (in-process or as a real `phone-handoff
// serve` child process that can be SIGKILLed), signed posting, and waiting on what the rep sees.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
export const core = require('../../../node/index.js');
const { startSandbox } = require('../../../node/sandbox/index.js');
const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const fixture = (p) => readFileSync(path.join(repo, 'tests/fixtures', p));

export async function waitFor(what, fn, { timeoutMs = 30_000, everyMs = 50 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

// A service configuration pointing at `sandbox`, with one known secret per source.
export function serviceConfig(sandbox, extra = {}) {
  const c = sandbox.credentials;
  const sources = {};
  for (const s of core.sources) sources[s] = { secrets: [s === 'canonical' ? `whsec_${Buffer.from(`test-${s}-secret-0123456789`).toString('base64')}` : `test-${s}-secret`] };
  sources.vapi.auth = { type: 'hmac', algorithm: 'sha256' };
  return {
    host: '127.0.0.1', port: 0, logLevel: 'silent',
    zendesk: { url: sandbox.url, appId: c.appId, sunshine: { keyId: c.keyId, secret: c.secret },
      support: { email: c.supportEmail, token: c.supportToken }, webhookSecret: c.webhookSecret },
    sources,
    handoff: { sunshine: { integration: 'phone-handoff' }, matchCallers: true },
    delivery: { pollMs: 20, baseDelayMs: 50, maxDelayMs: 400, requestTimeoutMs: 2_000, leaseSeconds: 3 },
    ...extra,
  };
}

export async function postSigned(url, source, body, config, { now = Date.now() } = {}) {
  const { headers } = core.sign(source, body, config.sources[source], now);
  const res = await fetch(`${url}/webhooks/${source}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: await res.json().catch(() => null) };
}

export async function withSandbox(options = {}) {
  return startSandbox({ defaultIntegration: 'zd-agentWorkspace', ...options });
}

export const sandboxApi = async (sandbox, p, init) => {
  const res = await fetch(`${sandbox.url}/sandbox/api/${p}`, init && { method: init.method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(init.body) });
  return res.json();
};

export async function conversationsFor(sandbox, callId) {
  const { conversations } = await sandboxApi(sandbox, 'conversations');
  return conversations.filter((c) => c.metadata && c.metadata.phone_handoff_call_id === callId);
}

export async function ticketFor(sandbox, callId) {
  const [conv] = await conversationsFor(sandbox, callId);
  if (!conv || !conv.ticketId) return null;
  return (await sandboxApi(sandbox, `tickets/${conv.ticketId}`)).ticket;
}

// `phone-handoff serve --config FILE` as a child process: the real CLI, killable with SIGKILL.
export async function spawnServe(config, env = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'ph-serve-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ dataDir: path.join(dir, 'data'), ...config }));
  return respawn(file, env);
}

export function respawn(file, env = {}) {
  const child = spawn(process.execPath, [path.join(repo, 'node/cli.js'), 'serve', '--config', file], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => { out += d; });
  child.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start within 90 s: ${err.slice(-2000)}`)), 90_000);
    child.stdout.on('data', () => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      const { service } = JSON.parse(line);
      resolve({ child, url: service.url, file, stderr: () => err, kill: (sig = 'SIGKILL') => new Promise((r) => { child.once('exit', r); child.kill(sig); }) });
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`serve exited with ${code}: ${err.slice(-2000)}`)); });
  });
}
