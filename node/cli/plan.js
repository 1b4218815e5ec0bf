'use strict';
const {
  EXIT, SOURCE_SYNOPSIS, SOURCE_OPTION, usageText, parseCommandLine, requireSource, readInput, printJson, loadApi,
} = require('./common.js');

module.exports = {
  summary: 'print the Sunshine Conversations requests that would deliver a handoff',
  usage: usageText(`plan ${SOURCE_SYNOPSIS} [--config FILE] [FILE|-]`,
    `Parses the webhook body from FILE (or stdin), then prints the first-delivery plan:
{"requests":[{"method","path","body"}…],"diagnostics":[…]} plus any other fields the core adds.
Nothing is sent. An invalid payload prints {"errors":[…]} and exits 2.`,
    [SOURCE_OPTION, ['--config FILE', 'render/plan configuration JSON (tags, ticket fields, Sunshine settings)']]),
  run(argv) {
    const { values, positionals } = parseCommandLine(argv,
      { source: { type: 'string' }, config: { type: 'string' } }, { maxPositionals: 1 });
    const source = requireSource(values.source);
    const config = values.config === undefined ? undefined : readInput(values.config, 'config');
    const body = readInput(positionals[0]);
    const api = loadApi();
    const parsed = api.parse(source, body);
    if (parsed.errors) {
      printJson({ errors: parsed.errors });
      return EXIT.badInput;
    }
    printJson(api.plan(parsed.handoff, config));
    return EXIT.ok;
  },
};
