// The service and the sandbox Zendesk in this process, wired as `phone-handoff serve` runs them
// (startService from node/service/index.js, the embedded store in a temporary directory, the real
// HTTP server and worker loops), plus the instruments the time-to-visible benchmark reads: time
// spent in Zendesk requests (undici's diagnostics channel, i.e. every fetch the service makes) and
// time spent in the store (its query/tx functions, wrapped).
import dc from 'node:diagnostics_channel';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { serviceConfig, withSandbox } from '../../tests/node/support/service-harness.mjs';

const require = createRequire(import.meta.url);
const { startService } = require('../../node/service/index.js');

// Sums wall time while at least one operation of a kind is running (overlapping ones count once),
// so that "time in requests" and "time in the store" are shares of the elapsed time.
function busyClock() {
  let active = 0;
  let since = 0;
  let total = 0;
  let count = 0;
  return {
    begin() { count++; if (active++ === 0) since = performance.now(); },
    count: () => count,
    end() { if (--active === 0) total += performance.now() - since; },
    read() { return total + (active > 0 ? performance.now() - since : 0); },
  };
}

function instrumentStore(store, clock) {
  for (const name of ['query', 'tx']) {
    const original = store[name];
    store[name] = async (...args) => {
      clock.begin();
      try { return await original(...args); } finally { clock.end(); }
    };
  }
}

// Zendesk requests of this process: every fetch to `origin`, from its creation to its last byte.
function instrumentRequests(origin, clock) {
  const open = new WeakSet();
  const onCreate = ({ request }) => { if (request.origin === origin) { open.add(request); clock.begin(); } };
  const onDone = ({ request }) => { if (open.delete(request)) clock.end(); };
  dc.subscribe('undici:request:create', onCreate);
  dc.subscribe('undici:request:trailers', onDone);
  dc.subscribe('undici:request:error', onDone);
  return () => {
    dc.unsubscribe('undici:request:create', onCreate);
    dc.unsubscribe('undici:request:trailers', onDone);
    dc.unsubscribe('undici:request:error', onDone);
  };
}

// startStack({ latencyMs, delivery }) -> { service, sandbox, config, clocks: {zendesk, store}, close() }
export async function startStack({ latencyMs = 0, delivery = {}, sandboxOptions = {} } = {}) {
  const sandbox = await withSandbox(sandboxOptions);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'ph-bench-store-'));
  const base = serviceConfig(sandbox);
  // The service's own defaults for delivery (config.js), with the harness's short request timeout.
  const config = { ...base, dataDir, delivery: { requestTimeoutMs: 10_000, ...delivery } };
  let service;
  try {
    service = await startService({ overrides: config });
  } catch (error) {
    await sandbox.close();
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  const res = await fetch(`${sandbox.url}/sandbox/api/webhooks/target`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ target: `${service.url}/webhooks/sunshine` }),
  });
  if (!res.ok) throw new Error(`could not point the sandbox's webhook at the service (${res.status})`);
  if (latencyMs > 0) sandbox.faults.add({ kind: 'latency', latencyMs });
  const clocks = { zendesk: busyClock(), store: busyClock() };
  instrumentStore(service.store, clocks.store);
  const stopRequests = instrumentRequests(sandbox.url, clocks.zendesk);
  return {
    service, sandbox, config: service.config, clocks,
    async close() {
      stopRequests();
      await service.close();
      await sandbox.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
