// Compiled (never run) by tests/node/package-types.test.mjs with `tsc --noEmit --strict`:
// every export of the CommonJS entry used the way docs/api.md shows, plus mistakes the types
// must reject (each `@ts-expect-error` fails the compile if the line ever type-checks).
import {
  parse, diagnose, merge, redact, render, plan, verify, sign, conversation,
  backend, version, operations, sources,
  type Handoff, type ParseResult, type Config, type Source, type PhoneHandoffError, type OperationName,
} from 'phone-handoff';

const body = '{"message":{"type":"end-of-call-report"}}';
const result: ParseResult = parse('vapi', body, { maxBytes: 1 << 20, defaultCountryCode: '1' });
let handoff: Handoff | undefined;
if ('errors' in result) {
  for (const e of result.errors) console.log(e.pointer.length + e.message.length);
} else {
  handoff = result.handoff;
  const mode: 'live_transfer' | 'logged_escalation' = result.handoff.handoff.mode;
  const firstTurn = result.handoff.transcript?.[0];
  if (firstTurn) console.log(firstTurn.speaker, firstTurn.text, firstTurn.start_ms ?? 0, mode);
  for (const w of result.warnings) console.log(w.pointer);
}
parse('retell', new Uint8Array([123, 125]));
parse('canonical', { version: 1, handoff: { mode: 'logged_escalation' } });

const findings = diagnose('bland', body).findings;
findings.forEach((f) => console.log(f.code, f.severity, f.message));

const config: Config = { tagPrefix: 'opencx', transcriptStyle: 'per-turn', redaction: false, ticketFields: { call_id: 360002 } };
if (handoff) {
  const merged = merge(handoff, handoff);
  if ('handoff' in merged) console.log(merged.handoff.call_id); else console.log(merged.errors.length);
  redact(handoff, config);
  render(handoff, config);
  const p = plan(handoff, config, '{"delivered":0}');
  for (const r of p.requests) console.log(r.method, r.path, r.body);
  console.log(p.diagnostics.length);
}
redact('card 4111 1111 1111 1111');
const signed = sign('elevenlabs', body, { secrets: ['s'] }, new Date());
sign('bland', new TextEncoder().encode(body), { secrets: ['s'] }, Date.now());
sign('vapi', body, { secrets: ['s'], auth: { type: 'hmac', algorithm: 'sha256' }, url: 'https://x.test/h' });
const verdict = verify('elevenlabs', { headers: signed.headers, now: Date.now() }, body, { secrets: ['s'] });
if (verdict.ok) console.log(verdict.secretIndex); else console.log(verdict.reason, verdict.message);
const view = conversation({ messages: [] }, { tagPrefix: 'opencx' });
if (view.isHandoff) console.log(view.summary, view.warnings?.length);

const name: 'native' | 'wasm' = backend.name;
const where: string = backend.path;
const v: string = version;
const ops: readonly OperationName[] = operations;
const srcs: readonly Source[] = sources;
console.log(name, where, v, ops, srcs);

try { render('{}', '{"tagPrefix": 1}'); } catch (err) {
  const e = err as PhoneHandoffError;
  console.log(e.code, e.operation, e.message);
}

// @ts-expect-error: not a known source
parse('vpai', body);
// @ts-expect-error: a number is not a body
parse('vapi', 42);
// @ts-expect-error: options are an object (or JSON text)
parse('vapi', body, 5);
// @ts-expect-error: signatures cover exact bytes: no objects
sign('bland', { a: 1 }, { secrets: ['s'] });
// @ts-expect-error: now is a Date or Unix milliseconds
sign('bland', body, { secrets: ['s'] }, '2026-01-01T00:00:00Z');
// @ts-expect-error: backend is read-only
backend.name = 'wasm';
// @ts-expect-error: a parse result may be errors: narrow it first
console.log(result.handoff);
