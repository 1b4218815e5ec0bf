'use strict';
const {
  EXIT, UsageError, SOURCE_SYNOPSIS, usageText, parseCommandLine, requireSource, readInput, loadApi,
} = require('./common.js');

const TIMEOUT_MS = 30000;

// The core's sign() auth argument: --auth FILE as given, --secret as the signing secret, and the
// target URL (a Vapi HMAC payloadFormat may sign {url}). Vapi has no fixed scheme: with only
// --secret it sends the legacy X-Vapi-Secret header (credential type "secret_header").
function signingAuth(values, source, url) {
  if (values.secret === undefined && values.auth === undefined) return null;
  let auth = {};
  if (values.auth !== undefined) {
    try {
      auth = JSON.parse(readInput(values.auth, 'auth').toString('utf8'));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(`--auth ${JSON.stringify(values.auth)} is not valid JSON`);
    }
    if (!auth || typeof auth !== 'object' || Array.isArray(auth)) throw new UsageError('--auth must hold a JSON object');
  }
  if (values.secret !== undefined) auth.secrets = [values.secret];
  if (source === 'vapi' && auth.auth === undefined) auth.auth = { type: 'secret_header' };
  return { url: url.href, method: 'POST', ...auth };
}

module.exports = {
  summary: 'sign a webhook body the way its platform does and POST it to a URL',
  usage: usageText(`send ${SOURCE_SYNOPSIS} --url URL [--secret S] [--auth FILE] FILE`,
    `POSTs the body of FILE ("-" for stdin) byte for byte to URL, as the platform would. With --secret
(or --auth), the request carries that platform's signature headers, computed by the core's sign
operation with the current time. Vapi with only --secret sends the X-Vapi-Secret header.
Prints the response status line and body. Exit 1 on a non-2xx answer or a network error
(the request gives up after ${TIMEOUT_MS / 1000} s).`,
    [
      ['--source NAME', 'the platform to imitate (required)'],
      ['--url URL', 'where to POST (http or https; required)'],
      ['--secret S', "the platform's signing secret / API key (unsigned without it)"],
      ['--auth FILE', 'the sign auth JSON: {"secrets":[…],"auth":{…Vapi scheme…}} (see docs/cli.md)'],
    ]),
  async run(argv) {
    const { values, positionals } = parseCommandLine(argv, {
      source: { type: 'string' }, url: { type: 'string' }, secret: { type: 'string' }, auth: { type: 'string' },
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
    const auth = signingAuth(values, source, url);
    if (auth) Object.assign(headers, loadApi().sign(source, body, auth, Date.now()).headers);
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
