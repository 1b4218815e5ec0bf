#!/usr/bin/env node
'use strict';
// `node node/sandbox/main.js [--port N] [--host H] [--webhook-target URL] [--single-conversation]
//  [--default-integration phone-handoff] [--app-dir DIR]`: starts the sandbox and prints ONE JSON line with its
// URL and credentials on stdout (for scripts and the CLI); logs go to stderr. Ctrl-C stops it.
const { startSandbox } = require('./index');

function parseArgs(argv) {
  const options = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${arg} needs a value`);
      i += 1;
      return argv[i];
    };
    if (arg === '--port') {
      options.port = Number(value());
      if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535) throw new Error('--port must be an integer from 0 to 65535');
    } else if (arg === '--host') options.host = value();
    else if (arg === '--webhook-target') options.webhookTarget = value();
    else if (arg === '--single-conversation') options.multiConversations = false;
    else if (arg === '--default-integration') options.defaultIntegration = value();
    else if (arg === '--app-dir') options.appDir = value();
    else if (arg === '--help' || arg === '-h') options.help = true;
    else throw new Error(`unknown argument ${arg} (try --help)`);
  }
  return options;
}

async function main() {
  let options;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`sandbox: ${err.message}\n`);
    process.exit(2);
  }
  if (options.help) {
    process.stdout.write('usage: node node/sandbox/main.js [--port N] [--host H] [--webhook-target URL] [--single-conversation] [--default-integration phone-handoff] [--app-dir DIR]\n');
    return;
  }
  delete options.help;
  const sandbox = await startSandbox(options);
  const c = sandbox.credentials;
  process.stdout.write(`${JSON.stringify({
    sandbox: {
      url: sandbox.url, appId: c.appId, keyId: c.keyId, secret: c.secret,
      supportEmail: c.supportEmail, supportToken: c.supportToken, webhookSecret: c.webhookSecret,
    },
  })}\n`);
  process.stderr.write(`sandbox: listening on ${sandbox.url} — open ${sandbox.url}/sandbox/ to see tickets\n`);
  const stop = () => sandbox.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  process.stderr.write(`sandbox: ${err.message}\n`);
  process.exit(1);
});
