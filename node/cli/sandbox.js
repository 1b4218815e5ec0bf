'use strict';
// The sandbox (a local imitation of Zendesk and Sunshine Conversations) is its own program,
// node/sandbox/main.js: this command starts it with the same arguments, lets it handle Ctrl-C,
// forwards SIGTERM, and passes its exit code through. The sandbox checks its own options (bad ones exit 2).
const fs = require('node:fs');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { EXIT, usageText } = require('./common.js');

// PHONE_HANDOFF_SANDBOX_MAIN points at another entry file: for tests and for debugging only.
const sandboxMain = () => process.env.PHONE_HANDOFF_SANDBOX_MAIN
  || path.join(__dirname, '..', 'sandbox', 'main.js');

module.exports = {
  summary: 'run the local sandbox (an imitation of Zendesk and Sunshine Conversations)',
  usage: usageText('sandbox [--port N] [--host H] [--webhook-target URL] [--single-conversation] [--default-integration NAME]',
    `Starts the sandbox (default 127.0.0.1, a free port) and prints one JSON line with its URL and
credentials on stdout; logs go to stderr. Stop it with Ctrl-C. See docs/sandbox.md.`,
    [
      ['--port N', 'the port to listen on (0 picks a free one)'],
      ['--host H', 'the address to listen on'],
      ['--webhook-target URL', 'where the sandbox delivers Sunshine webhooks'],
      ['--single-conversation', 'behave like an app without multi-conversations'],
      ['--default-integration NAME', 'the integration that gets switchboard control by default'],
    ]),
  run(argv) {
    const main = sandboxMain();
    if (!fs.existsSync(main)) {
      process.stderr.write(`phone-handoff sandbox: the sandbox is not installed (${main} is missing)\n`);
      return EXIT.failure;
    }
    const child = spawn(process.execPath, [main, ...argv], { stdio: 'inherit' });
    // Ctrl-C reaches the child by itself (same process group): forwarding it as well would make
    // the sandbox see a second SIGINT mid-shutdown. SIGTERM is sent to us alone: pass it on.
    process.on('SIGINT', () => {});
    process.on('SIGTERM', () => child.kill('SIGTERM'));
    return new Promise((resolve) => {
      child.on('exit', (code, signal) => resolve(code ?? (signal ? EXIT.failure : EXIT.ok)));
    });
  },
};
