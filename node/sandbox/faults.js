'use strict';
// Faults on demand, so clients can be tested against the failures a real Zendesk produces:
// latency (fixed + jitter), error statuses (429 with or without Retry-After, 500, 503), a request
// held past the client's timeout, a dropped connection, and "succeeded but the response was lost"
// (the effect is applied, then the socket is destroyed). A rule matches by method and path
// pattern (or everything), fires with a probability or for the next N matching requests, and draws
// from its own seeded generator so a test run is repeatable.
const { reply } = require('./http-util');

const KINDS = ['latency', 'status', 'timeout', 'drop', 'lost_response'];
// 429 and 5xx are transient; 400 and 403 let a test make one path fail for good (a soak's
// "permanent" failures, which must end in the dead letter and nowhere else).
const STATUSES = [400, 403, 429, 500, 502, 503, 504];

// mulberry32: tiny, seedable, good enough to decide "does this request fail".
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// "/sc/v2/apps/*/conversations/*/messages": `*` is one path segment, `**` any number of them.
function compilePathPattern(pattern) {
  const escaped = pattern.split('/').map((segment) => {
    if (segment === '**') return '.*';
    return segment.split('*').map((piece) => piece.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*');
  }).join('/');
  return new RegExp(`^${escaped}$`);
}

function validateRule(input) {
  const problems = [];
  if (typeof input !== 'object' || input === null) return ['a fault must be a JSON object'];
  if (!KINDS.includes(input.kind)) problems.push(`kind must be one of ${KINDS.join(', ')}`);
  if (input.method !== undefined && (typeof input.method !== 'string' || !/^[A-Za-z]+$/.test(input.method))) problems.push('method must be an HTTP method');
  if (input.path !== undefined && (typeof input.path !== 'string' || !input.path.startsWith('/'))) problems.push('path must be a pattern starting with "/"');
  if (input.kind === 'status' && !STATUSES.includes(input.status)) problems.push(`status must be one of ${STATUSES.join(', ')}`);
  if (input.kind === 'latency' && !(Number.isFinite(input.latencyMs) && input.latencyMs >= 0)) problems.push('latencyMs must be a number ≥ 0');
  for (const field of ['jitterMs', 'retryAfter', 'holdMs']) {
    if (input[field] !== undefined && !(Number.isFinite(input[field]) && input[field] >= 0)) problems.push(`${field} must be a number ≥ 0`);
  }
  if (input.probability !== undefined && !(typeof input.probability === 'number' && input.probability >= 0 && input.probability <= 1)) problems.push('probability must be between 0 and 1');
  if (input.times !== undefined && !(Number.isInteger(input.times) && input.times > 0)) problems.push('times must be a positive integer');
  if (input.seed !== undefined && !Number.isInteger(input.seed)) problems.push('seed must be an integer');
  return problems;
}

function createFaults() {
  let rules = [];
  let nextId = 1;

  function add(input) {
    const problems = validateRule(input);
    if (problems.length) return { problems };
    const rule = {
      id: `fault_${nextId++}`,
      kind: input.kind,
      method: input.method ? input.method.toUpperCase() : null,
      path: input.path || null,
      matcher: input.path ? compilePathPattern(input.path) : null,
      status: input.status,
      retryAfter: input.retryAfter,
      latencyMs: input.latencyMs || 0,
      jitterMs: input.jitterMs || 0,
      holdMs: input.holdMs,
      probability: input.probability === undefined ? 1 : input.probability,
      remaining: input.times === undefined ? null : input.times,
      seed: input.seed === undefined ? 1 : input.seed,
      hits: 0,
    };
    rule.random = seededRandom(rule.seed);
    rules.push(rule);
    return { rule: describe(rule) };
  }

  function describe(rule) {
    const { matcher, random, ...visible } = rule;
    return visible;
  }

  // Decides what happens to one request: a total delay and at most one terminal action.
  function plan(method, path) {
    let delayMs = 0;
    let terminal = null;
    for (const rule of rules) {
      if (rule.remaining === 0) continue;
      if (rule.method && rule.method !== method) continue;
      if (rule.matcher && !rule.matcher.test(path)) continue;
      if (terminal && rule.kind !== 'latency') continue;
      if (rule.random() >= rule.probability) continue;
      if (rule.remaining !== null) rule.remaining -= 1;
      rule.hits += 1;
      if (rule.kind === 'latency') delayMs += rule.latencyMs + Math.round(rule.random() * rule.jitterMs);
      else terminal = rule;
    }
    rules = rules.filter((rule) => rule.remaining !== 0);
    return { delayMs, terminal };
  }

  return {
    add,
    plan,
    list: () => rules.map(describe),
    remove: (id) => { const before = rules.length; rules = rules.filter((r) => r.id !== id); return rules.length < before; },
    clear: () => { rules = []; },
  };
}

// The body a fault status carries, in the dialect of the API that was called.
function faultReply(rule, area) {
  const headers = rule.retryAfter === undefined ? {} : { 'Retry-After': String(rule.retryAfter) };
  const sunshine = {
    400: ['bad_request', 'Bad Request'],
    403: ['forbidden', 'Forbidden'],
    429: ['too_many_requests', 'Too Many Requests'],
    500: ['internal_server_error', 'Internal Server Error'],
    502: ['bad_gateway', 'Bad Gateway'],
    503: ['service_unavailable', 'Service Unavailable'],
    504: ['gateway_timeout', 'Gateway Timeout'],
  };
  const support = {
    400: ['BadRequest', 'Bad Request'],
    403: ['Forbidden', 'You do not have access to this page'],
    429: ['APIRateLimitExceeded', 'Number of allowed API requests per minute exceeded'],
    500: ['InternalServerError', 'Internal Server Error'],
    502: ['BadGateway', 'Bad Gateway'],
    503: ['ServiceUnavailable', 'Service Unavailable'],
    504: ['GatewayTimeout', 'Gateway Timeout'],
  };
  if (area === 'support') {
    const [error, description] = support[rule.status];
    if (rule.status === 429) {
      headers['X-Rate-Limit'] = '700';
      headers['X-Rate-Limit-Remaining'] = '0';
    }
    return reply(rule.status, { error, description }, headers);
  }
  const [code, title] = sunshine[rule.status];
  return reply(rule.status, { errors: [{ code, title }] }, headers);
}

module.exports = { createFaults, faultReply, compilePathPattern, seededRandom };
