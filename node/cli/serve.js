'use strict';
// phone-handoff serve: the webhook service (node/service/). With --sandbox it runs the local
// sandbox Zendesk in the same process and needs no credentials: that is what `npm start` does.
const { EXIT, usageText, parseCommandLine, UsageError } = require('./common.js');

module.exports = {
  summary: 'run the webhook service (with --sandbox: against a local Zendesk)',
  usage: usageText('serve [--config FILE] [--sandbox] [--port N] [--host H]',
    `Starts the webhook service: POST /webhooks/<canonical|vapi|retell|elevenlabs|bland> for voice
platforms, POST /webhooks/sunshine for Sunshine events, GET /healthz, /readyz, /metrics. It prints
one JSON line with its URLs on stdout; logs are JSON lines on stderr. Configuration: a JSON or YAML
file plus environment variables (docs/service.md). Stop it with Ctrl-C.`,
    [
      ['--config FILE', 'configuration file (JSON or YAML)'],
      ['--sandbox', 'run the sandbox Zendesk in-process (no credentials needed)'],
      ['--port N', 'the port to listen on (default 8080; 0 picks a free one)'],
      ['--host H', 'the address to listen on (default 127.0.0.1)'],
    ]),
  async run(argv) {
    const { values } = parseCommandLine(argv, {
      config: { type: 'string' }, sandbox: { type: 'boolean' }, port: { type: 'string' }, host: { type: 'string' },
    }, { maxPositionals: 0 });
    const overrides = {};
    if (values.port !== undefined) {
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a whole number from 0 to 65535');
      overrides.port = port;
    }
    if (values.host !== undefined) overrides.host = values.host;
    const { startService } = require('../service/index.js');
    let service;
    try {
      service = await startService({ configFile: values.config, sandbox: Boolean(values.sandbox), overrides, logStream: process.stderr });
    } catch (err) {
      if (err.code === 'ERR_PHONE_HANDOFF_CONFIG') { process.stderr.write(`phone-handoff serve: ${err.message}\n`); return EXIT.badInput; }
      throw err;
    }
    const webhooks = Object.fromEntries(require('../index.js').sources.map((s) => [s, `${service.url}/webhooks/${s}`]));
    const out = { service: { url: service.url, webhooks, metrics: `${service.url}/metrics`, store: service.store.kind } };
    if (service.sandbox) {
      // Sandbox only: the generated development secrets, so `phone-handoff send` can sign for each source.
      out.sandbox = { url: service.sandbox.url, page: `${service.sandbox.url}/sandbox/`,
        devSecrets: Object.fromEntries(Object.entries(service.config.sources).map(([s, v]) => [s, v.secrets[0]])) };
      process.stderr.write(`\nphone-handoff is running against the sandbox Zendesk.\n  Watch tickets: ${out.sandbox.page}\n  Try a handoff: phone-handoff send --source retell --url ${webhooks.retell} --secret ${out.sandbox.devSecrets.retell} tests/fixtures/retell/call-ended.json\n\n`);
    }
    process.stdout.write(`${JSON.stringify(out)}\n`);
    await new Promise((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await service.close();
    return EXIT.ok;
  },
};
