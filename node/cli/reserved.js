'use strict';
// Commands whose behaviour belongs to the webhook service (not built yet). They exist so the
// names are taken and say so honestly, instead of pretending to work.
const { EXIT } = require('./common.js');

const reserved = (name, summary) => ({
  summary: `${summary} (not available yet)`,
  usage: `Usage: phone-handoff ${name}

Not available yet: defined by the webhook-service issue.`,
  run() {
    process.stderr.write(`phone-handoff ${name}: not available yet: defined by the webhook-service issue\n`);
    return EXIT.failure;
  },
});

module.exports = {
  serve: reserved('serve', 'run the webhook service'),
  doctor: reserved('doctor', 'check a deployment'),
  jobs: reserved('jobs', 'inspect delivery jobs'),
};
