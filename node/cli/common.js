'use strict';
// What every CLI command shares: argument parsing with one-line errors, reading the payload,
// printing JSON, and the exit-code contract (0 ok, 1 failure, 2 bad input).
const fs = require('node:fs');
const { parseArgs } = require('node:util');

const EXIT = Object.freeze({ ok: 0, failure: 1, badInput: 2 });

// A mistake on the command line or in the input: reported in one line, exit code 2.
class UsageError extends Error {}

const { SOURCES } = require('../lib/api.js');

// util.parseArgs, strict, with its multi-sentence messages cut to the first sentence.
function parseCommandLine(argv, options, { maxPositionals }) {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, ...options },
      allowPositionals: true, strict: true });
  } catch (err) {
    const first = String(err.message).split(/\.\s/)[0].replace(/\.$/, '');
    throw new UsageError(first.charAt(0).toLowerCase() + first.slice(1));
  }
  if (parsed.positionals.length > maxPositionals) {
    throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[maxPositionals])}`);
  }
  return parsed;
}

function requireSource(value) {
  if (value === undefined) throw new UsageError(`--source is required (one of ${SOURCES.join(', ')})`);
  if (!SOURCES.includes(value)) {
    throw new UsageError(`--source must be one of ${SOURCES.join(', ')}; got ${JSON.stringify(value)}`);
  }
  return value;
}

// The payload as bytes, untouched: from FILE, or stdin for "-" or no FILE (if something is piped).
function readInput(file, what = 'payload') {
  if (file === undefined || file === '-') {
    if (file === undefined && process.stdin.isTTY) {
      throw new UsageError(`no ${what}: give a FILE, or pipe it on stdin`);
    }
    return fs.readFileSync(0);
  }
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const reason = err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message;
    throw new UsageError(`cannot read ${what} ${JSON.stringify(file)}: ${reason}`);
  }
}

const SOURCE_SYNOPSIS = `--source <${SOURCES.join('|')}>`;
const SOURCE_OPTION = ['--source NAME', 'the platform that sent the body (required)'];

// A command's --help text: synopsis, what it does, then its options in aligned columns.
function usageText(synopsis, description, options = []) {
  const rows = [...options, ['-h, --help', 'show this help']];
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return `Usage: phone-handoff ${synopsis}\n\n${description}\n\nOptions:\n${
    rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}`).join('\n')}`;
}

const printJson = (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

// The package API, loaded only by commands that need the core (so --help never loads a backend).
const loadApi = () => require('../index.js');

module.exports = { EXIT, UsageError, SOURCES, SOURCE_SYNOPSIS, SOURCE_OPTION, usageText, parseCommandLine, requireSource, readInput, printJson, loadApi };
