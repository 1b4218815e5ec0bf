'use strict';
const {
  EXIT, SOURCE_SYNOPSIS, SOURCE_OPTION, usageText, parseCommandLine, requireSource, readInput, printJson, loadApi,
} = require('./common.js');

module.exports = {
  summary: 'turn a platform webhook into the canonical handoff JSON',
  usage: usageText(`parse ${SOURCE_SYNOPSIS} [FILE|-]`,
    `Reads the webhook body from FILE (or stdin) and prints the canonical handoff JSON.
Warnings go to stderr. An invalid payload prints {"errors":[{"pointer","message"}…]} and exits 2.`,
    [SOURCE_OPTION]),
  run(argv) {
    const { values, positionals } = parseCommandLine(argv, { source: { type: 'string' } }, { maxPositionals: 1 });
    const source = requireSource(values.source);
    const result = loadApi().parse(source, readInput(positionals[0]));
    if (result.errors) {
      printJson({ errors: result.errors });
      return EXIT.badInput;
    }
    for (const w of result.warnings || []) process.stderr.write(`warning: ${w.pointer || '/'}: ${w.message}\n`);
    printJson(result.handoff);
    return EXIT.ok;
  },
};
