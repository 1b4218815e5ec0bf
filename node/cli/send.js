'use strict';
const {
  EXIT, UsageError, SOURCE_SYNOPSIS, usageText, parseCommandLine, requireSource, readInput, loadApi,
} = require('./common.js');

const TIMEOUT_MS = 30000;

module.exports = {
  summary: 'sign a webhook body the way its platform does and POST it to a URL',
  usage: usageText(`send ${SOURCE_SYNOPSIS} --url URL [--secret S] FILE`,
    `POSTs the body of FILE ("-" for stdin) byte for byte to URL, as the platform would. With --secret,
the request carries that platform's signature headers (computed by the core's sign operation).
Prints the response status line and body. Exit 1 on a non-2xx answer or a network error
(the request gives up after ${TIMEOUT_MS / 1000} s).`,
    [
      ['--source NAME', 'the platform to imitate (required)'],
      ['--url URL', 'where to POST (http or https; required)'],
      ['--secret S', "the platform's signing secret / API key (unsigned without it)"],
    ]),
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, {
      source: { type: 'string' }, url: { type: 'string' }, secret: { type: 'string' },
    }, { maxPositionals: 1 });
    const source = requireSource(values.source);
    if (values.url === undefined) throw new UsageError('--url is required');
    let url;
    try { url = new URL(values.url); } catch { url = null; }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new UsageError(`--url must be an http or https URL; got ${JSON.stringify(values.url)}`);
    }
    if (positionals[0] === undefined) throw new UsageError('FILE is required ("-" reads stdin)');
    const body = readInput(positionals[0]);

    const headers = { 'content-type': 'application/json' };
    if (values.secret !== undefined) {
      const signed = loadApi().sign(source, body, { secret: values.secret }, Date.now());
      if (!signed || typeof signed.headers !== 'object') {
        throw new Error(`the core's sign operation returned no headers for ${source}`);
      }
      Object.assign(headers, signed.headers);
    }
    let response;
    try {
      response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(TIMEOUT_MS) });
    } catch (err) {
      const cause = err.cause ? `: ${err.cause.code || err.cause.message}` : '';
      throw new Error(`POST ${url.origin}${url.pathname} failed: ${err.message}${cause}`);
    }
    const text = await response.text();
    process.stdout.write(`${response.status} ${response.statusText}\n${text}${text.endsWith('\n') ? '' : '\n'}`);
    return response.ok ? EXIT.ok : EXIT.failure;
  },
};
