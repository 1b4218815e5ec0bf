'use strict';
// The sandbox (a local imitation of Zendesk/Sunshine for trying handoffs end to end) is its own
// program, node/sandbox/main.js; this command starts it and passes its exit code through.
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { EXIT, UsageError, parseCommandLine, usageText } = require('./common.js');

// PHONE_HANDOFF_SANDBOX_MAIN points at another entry file: for tests and for debugging only.
const sandboxMain = () => process.env.PHONE_HANDOFF_SANDBOX_MAIN
  || path.join(__dirname, '..', 'sandbox', 'main.js');

module.exports = {
  summary: 'run the local sandbox (an imitation of Zendesk and Sunshine Conversations)',
  usage: usageText('sandbox [--port N]',
    'Starts the sandbox on 127.0.0.1 (port N, default: the sandbox\'s own default). Stop it with Ctrl-C.',
    [['--port N', 'the port to listen on (0 picks a free one)']]),
  run(argv) {
    const { values } = parseCommandLine(argv, { port: { type: 'string' } }, { maxPositionals: 0 });
    const args = [];
    if (values.port !== undefined) {
      if (!/^\d+$/.test(values.port) || Number(values.port) > 65535) {
        throw new UsageError(`--port must be a number from 0 to 65535; got ${JSON.stringify(values.port)}`);
      }
      args.push('--port', values.port);
    }
    const main = sandboxMain();
    if (!fs.existsSync(main)) {
      process.stderr.write(`phone-handoff sandbox: the sandbox is not installed (${main} is missing)\n`);
      return EXIT.failure;
    }
    const child = spawn(process.execPath, [main, ...args], { stdio: 'inherit' });
    const forward = (signal) => child.kill(signal);
    process.on('SIGINT', forward);
    process.on('SIGTERM', forward);
    return new Promise((resolve) => {
      child.on('exit', (code, signal) => resolve(code ?? (signal ? EXIT.failure : EXIT.ok)));
    });
  },
};
