'use strict';
// Structured JSON logs, one object per line. Values under secret-looking keys are replaced, and
// strings are passed through the core's redaction, so neither credentials nor unmasked card numbers
// reach a log.
const SECRET_KEY = /secret|token|password|authorization|api[-_]?key|signature/i;

function scrub(value, redactText, depth = 0) {
  if (depth > 6) return '[deep]';
  if (typeof value === 'string') return redactText ? redactText(value) : value;
  if (Array.isArray(value)) return value.map((v) => scrub(v, redactText, depth + 1));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = SECRET_KEY.test(k) ? '[redacted]' : scrub(v, redactText, depth + 1);
    return out;
  }
  return value;
}

function createLogger({ stream = process.stdout, level = 'info', redactText, clock = Date.now } = {}) {
  const order = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };
  const min = order[level] ?? 20;
  const write = (lvl) => (msg, fields = {}) => {
    if (order[lvl] < min) return;
    const entry = { time: new Date(clock()).toISOString(), level: lvl, msg, ...scrub(fields, redactText) };
    stream.write(`${JSON.stringify(entry)}\n`);
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

module.exports = { createLogger, scrub };
