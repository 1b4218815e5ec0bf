#!/usr/bin/env node
'use strict';
// The phone-handoff command line. Each command lives in node/cli/<command>.js and exports
// { summary, usage, run(argv) -> exit code }. Exit codes: 0 ok, 1 failure, 2 bad input.
const fs = require('node:fs');
const path = require('node:path');
const { EXIT, UsageError } = require('./cli/common.js');
const reserved = require('./cli/reserved.js');

// serve, doctor and jobs belong to the webhook service: its command files (node/cli/<name>.js),
// once present, replace the reserved placeholders.
const serviceCommand = (name) => (fs.existsSync(path.join(__dirname, 'cli', `${name}.js`))
  ? require(`./cli/${name}.js`) : reserved[name]);

const COMMANDS = {
  parse: require('./cli/parse.js'),
  diagnose: require('./cli/diagnose.js'),
  plan: require('./cli/plan.js'),
  send: require('./cli/send.js'),
  sandbox: require('./cli/sandbox.js'),
  serve: serviceCommand('serve'),
  doctor: serviceCommand('doctor'),
  jobs: serviceCommand('jobs'),
};

const { version } = require(path.join(__dirname, '..', 'package.json'));

function topLevelHelp() {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `Usage: phone-handoff <command> [options]

Hand an AI phone call off to a human rep in Zendesk, with nothing lost.

Commands:
${lines.join('\n')}

Options:
  -h, --help      show help (also: phone-handoff <command> --help)
  -v, --version   print the version

Exit codes: 0 ok, 1 failure, 2 bad input.`;
}

// --help anywhere before "--" wins, so every command (even a reserved one) explains itself.
const wantsHelp = (argv) => {
  const end = argv.indexOf('--');
  return (end < 0 ? argv : argv.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

// Core errors about how it was called (bad options/config) are bad input; anything else failed.
const exitCodeFor = (err) => (err instanceof UsageError || /^ERR_PHONE_HANDOFF_BAD_/.test(err.code || '')
  ? EXIT.badInput : EXIT.failure);

async function main(argv) {
  const [name, ...rest] = argv;
  if (name === undefined) {
    process.stderr.write(`${topLevelHelp()}\n`);
    return EXIT.badInput;
  }
  if (name === '--help' || name === '-h') { process.stdout.write(`${topLevelHelp()}\n`); return EXIT.ok; }
  if (name === '--version' || name === '-v') { process.stdout.write(`${version}\n`); return EXIT.ok; }
  const command = Object.prototype.hasOwnProperty.call(COMMANDS, name) ? COMMANDS[name] : null;
  if (!command) {
    const what = name.startsWith('-') ? `unknown option ${name}` : `unknown command ${JSON.stringify(name)}`;
    process.stderr.write(`phone-handoff: ${what} (see phone-handoff --help)\n`);
    return EXIT.badInput;
  }
  if (wantsHelp(rest)) { process.stdout.write(`${command.usage}\n`); return EXIT.ok; }
  try {
    return await command.run(rest);
  } catch (err) {
    const code = exitCodeFor(err);
    const hint = code === EXIT.badInput && err instanceof UsageError ? ` (see phone-handoff ${name} --help)` : '';
    const detail = err.code && !(err instanceof UsageError) && err.code.startsWith('ERR_PHONE_HANDOFF')
      ? ` [${err.code}]` : '';
    process.stderr.write(`phone-handoff ${name}: ${err.message}${detail}${hint}\n`);
    return code;
  }
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
