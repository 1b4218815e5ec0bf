'use strict';
// phone-handoff jobs: inspect and replay deliveries in the store (the same store serve uses).
const { EXIT, usageText, parseCommandLine, printJson, UsageError } = require('./common.js');

const STATES = ['queued', 'delivering', 'retrying', 'delivered', 'dead'];

function progressBar(done, total, width = 30) {
  const filled = total ? Math.round((done / total) * width) : width;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`;
}

module.exports = {
  summary: 'list, show, retry and replay delivery jobs',
  usage: usageText('jobs <list|show|retry|dead> [SOURCE CALL_ID] [--state S] [--all-dead] [--deliver] [--config FILE]',
    `list                 every handoff with its state, attempts and last error (--state to filter)
show SOURCE CALL_ID  one handoff: its state, progress and the deliveries received for it
dead                 the handoffs in dead letter
retry SOURCE CALL_ID or retry --all-dead
                     put them back in the queue (attempts reset); with --deliver, deliver them now
                     in this process, with a progress bar on stderr
The embedded store allows one process at a time: stop serve first, or use PostgreSQL (DATABASE_URL).`,
    [
      ['--state S', `with list: only this state (${STATES.join(', ')})`],
      ['--all-dead', 'with retry: every dead handoff'],
      ['--deliver', 'with retry: deliver now instead of leaving it to the service'],
      ['--config FILE', 'configuration file (JSON or YAML)'],
    ]),
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, {
      state: { type: 'string' }, 'all-dead': { type: 'boolean' }, deliver: { type: 'boolean' }, config: { type: 'string' },
    }, { maxPositionals: 3 });
    const [action, source, callId] = positionals;
    if (!['list', 'show', 'retry', 'dead'].includes(action)) throw new UsageError('say list, show, retry or dead');
    if (values.state && !STATES.includes(values.state)) throw new UsageError(`--state must be one of ${STATES.join(', ')}`);
    if ((action === 'show' || (action === 'retry' && !values['all-dead'])) && (!source || !callId)) throw new UsageError(`${action} needs SOURCE and CALL_ID`);
    const { loadConfig } = require('../service/config.js');
    const { openStore } = require('../service/store.js');
    const config = loadConfig({ file: values.config, overrides: { sandbox: true } });
    const store = await openStore({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
    try {
      if (action === 'list' || action === 'dead') {
        const state = action === 'dead' ? 'dead' : values.state;
        const rows = await store.query(
          `select source, call_id, state, attempts, revision, delivered_revision, last_error, received_at, updated_at
           from handoffs ${state ? 'where state = $1' : ''} order by received_at desc`, state ? [state] : []);
        printJson({ jobs: rows.map((r) => ({ ...r, received_at: new Date(Number(r.received_at)).toISOString(), updated_at: new Date(Number(r.updated_at)).toISOString() })) });
        return EXIT.ok;
      }
      if (action === 'show') {
        const [job] = await store.query('select * from handoffs where source = $1 and call_id = $2', [source, callId]);
        if (!job) { process.stderr.write(`phone-handoff jobs: no handoff ${source} ${callId}\n`); return EXIT.failure; }
        const deliveries = await store.query('select id, status, http_status, received_at, errors from deliveries where source = $1 and call_id = $2 order by id', [source, callId]);
        printJson({ job, deliveries });
        return EXIT.ok;
      }
      const targets = values['all-dead']
        ? await store.query(`select source, call_id from handoffs where state = 'dead'`)
        : [{ source, call_id: callId }];
      const now = Date.now();
      for (const t of targets) {
        await store.query(`update handoffs set state = 'queued', attempts = 0, first_attempt_at = null, next_attempt_at = $3, last_error = null,
          lease_owner = null, lease_until = null where source = $1 and call_id = $2`, [t.source, t.call_id, now]);
      }
      process.stderr.write(`queued ${targets.length} handoff(s) again\n`);
      if (values.deliver && targets.length) {
        const core = require('../index.js');
        const { createWorker } = require('../service/worker.js');
        const { createZendeskClient } = require('../service/zendesk-client.js');
        const worker = createWorker({ core, store, zendesk: createZendeskClient(config.zendesk, { timeoutMs: config.delivery.requestTimeoutMs }), config });
        let done = 0;
        process.stderr.write(`${progressBar(0, targets.length)}\r`);
        while (done < targets.length && await worker.runOnce()) { done++; process.stderr.write(`${progressBar(done, targets.length)}\r`); }
        process.stderr.write('\n');
        const left = await store.query(`select state, count(*)::int as n from handoffs group by state`);
        printJson({ delivered: done, states: Object.fromEntries(left.map((r) => [r.state, r.n])) });
      }
      return EXIT.ok;
    } finally {
      await store.close();
    }
  },
};
