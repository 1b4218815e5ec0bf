// The service in a process of its own (so its memory is its own), as `phone-handoff serve` runs it:
// startService with the configuration file given as argv[2]. Workers run unless the file says
// "startWorkers": false. Prints {"service":{"url","pid"}} on stdout once listening; SIGTERM stops it.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startService } = require('../../node/service/index.js');

const { startWorkers = true, ...overrides } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const service = await startService({ overrides, startWorkers });
process.stdout.write(`${JSON.stringify({ service: { url: service.url, pid: process.pid, store: service.store.kind } })}\n`);
process.once('SIGTERM', async () => {
  await service.close();
  process.exit(0);
});
