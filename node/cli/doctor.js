'use strict';
// phone-handoff doctor: check the configuration and credentials against Zendesk (or the sandbox).
const { EXIT, usageText, parseCommandLine, printJson } = require('./common.js');
const { loadBackend } = require('../lib/backends.js');

// Which core file this installation runs and why that one (a stale build explains many "fixed but
// still broken" reports). A fallback past a broken native addon is a warning; no core, a problem.
function backendFinding() {
  try {
    const backend = loadBackend();
    const fellBack = backend.skipped.length ? `; tried before it: ${backend.skipped.join('; ')}` : '';
    return {
      check: 'backend',
      status: backend.skipped.length ? 'warning' : 'ok',
      message: `The ${backend.name} core ${backend.version} runs from ${backend.path}: ${backend.reason}${fellBack}.`,
    };
  } catch (err) {
    return { check: 'backend', status: 'problem', message: err.message.replace(/\n\s*/g, ' ') };
  }
}

module.exports = {
  summary: 'check the configuration and credentials against Zendesk',
  usage: usageText('doctor [--config FILE] [--public-url URL] [--json]',
    `Reads the service configuration (file and environment, as serve does), then asks Zendesk
read-only questions and explains each problem the way an admin can fix it: an integration key
instead of an app key, a wrong App ID, multi-conversations off, Agent Workspace missing from the
switchboard, a Support token without permission, the Sunshine webhook not subscribed.
The first line says which core file runs (native addon or WebAssembly) and why that one.
Exit 0 when nothing is wrong, 1 when a check found a problem.`,
    [
      ['--config FILE', 'configuration file (JSON or YAML)'],
      ['--public-url URL', "the service's public URL, to check the Sunshine webhook points at it"],
      ['--json', 'print the findings as JSON'],
    ]),
  async run(argv) {
    const { values } = parseCommandLine(argv, { config: { type: 'string' }, 'public-url': { type: 'string' }, json: { type: 'boolean' } }, { maxPositionals: 0 });
    const { loadConfig } = require('../service/config.js');
    let config;
    try { config = loadConfig({ file: values.config }); } catch (err) {
      process.stderr.write(`phone-handoff doctor: ${err.message}\n`);
      return EXIT.badInput;
    }
    const { runDoctor } = require('../service/doctor.js');
    const findings = [backendFinding(), ...await runDoctor(config, { publicUrl: values['public-url'] })];
    if (values.json) printJson({ findings });
    else for (const f of findings) process.stdout.write(`${f.status === 'ok' ? 'ok     ' : f.status === 'warning' ? 'warning' : 'PROBLEM'}  ${f.check}: ${f.message}\n`);
    return findings.some((f) => f.status === 'problem') ? EXIT.failure : EXIT.ok;
  },
};
