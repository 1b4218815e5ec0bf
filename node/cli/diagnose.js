'use strict';
const {
  EXIT, SOURCE_SYNOPSIS, SOURCE_OPTION, usageText, parseCommandLine, requireSource, readInput, printJson, loadApi,
} = require('./common.js');

module.exports = {
  summary: 'explain what a webhook lacks for a good handoff',
  usage: usageText(`diagnose ${SOURCE_SYNOPSIS} [FILE|-]`,
    `Reads the webhook body from FILE (or stdin) and prints {"findings":[{"code","severity","message"}…]}.
Findings are not failures: the exit code is 0 whenever the diagnosis ran.`,
    [SOURCE_OPTION]),
  run(argv) {
    const { values, positionals } = parseCommandLine(argv, { source: { type: 'string' } }, { maxPositionals: 1 });
    const source = requireSource(values.source);
    printJson(loadApi().diagnose(source, readInput(positionals[0])));
    return EXIT.ok;
  },
};
