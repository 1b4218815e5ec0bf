'use strict';
// BENCHMARK BASELINE ONLY — never used by the product (the product's logic lives once, in the C++
// core). This is the same pipeline written the way a Node developer would write it without the
// core: JSON.parse, regular expressions and template strings. It maps each platform's webhook to
// the canonical handoff, normalizes numbers and turn order, redacts Luhn-checked card numbers,
// security codes and SSNs, packs the transcript into ≤ 4096-character messages of
// "[mm:ss] Speaker: text" lines, and builds the Sunshine Conversations request list. It is
// faithful in shape and in the work it does, not byte-identical to the core; bench/core-pipeline.mjs
// compares their speed, and the unit tests of the core (not this file) define the behaviour.

const MAX_TEXT = 4096;
const MAX_METADATA = 4096;

// ---- parse: platform payload -> canonical handoff ------------------------------------------------

const iso = (ms) => (Number.isFinite(ms) ? new Date(ms).toISOString() : undefined);
const isoFromText = (s) => (typeof s === 'string' && !Number.isNaN(Date.parse(s)) ? new Date(Date.parse(s)).toISOString() : undefined);
const seconds = (s) => (typeof s === 'number' ? Math.round(s * 1000) : undefined);
const RECOGNISED = new Set(['session_id', 'org_id', 'contact_id', 'handoff_reason', 'caller_asked', 'ai_unresolved',
  'follow_up_channel', 'follow_up_address', 'sentiment', 'caller_name', 'caller_email', 'session_url']);

function customFields(...objects) {
  const fields = {};
  const known = {};
  for (const object of objects) {
    if (!object || typeof object !== 'object') continue;
    for (const key of Object.keys(object).sort()) {
      const value = object[key];
      if (RECOGNISED.has(key)) { if (!(key in known) && typeof value === 'string') known[key] = value; continue; }
      if (['string', 'number', 'boolean'].includes(typeof value) && !(key in fields)) fields[key] = value;
    }
  }
  return { fields, known };
}

function fromVapi(body) {
  const m = body.message;
  if (!m || typeof m !== 'object') return { errors: [{ pointer: '/message', message: 'missing: message' }] };
  const call = m.call || {};
  if (typeof call.id !== 'string') return { errors: [{ pointer: '/message/call/id', message: 'missing: call id' }] };
  const direction = { inboundPhoneCall: 'inbound', outboundPhoneCall: 'outbound', webCall: 'web' }[call.type];
  const customer = (call.customer && call.customer.number) || (m.customer && m.customer.number);
  const ours = m.phoneNumber && m.phoneNumber.number;
  const artifact = m.artifact || {};
  const transcript = [];
  const toolCalls = [];
  let spoken = false;
  for (const msg of artifact.messages || m.messages || []) {
    const startMs = seconds(msg.secondsFromStart);
    if (msg.role === 'system') {
      if (!spoken || startMs === 0) continue;
      transcript.push({ speaker: 'system', text: msg.message, start_ms: startMs, at: iso(msg.time) });
    } else if (msg.role === 'bot' || msg.role === 'assistant' || msg.role === 'user') {
      spoken = true;
      const turn = { speaker: msg.role === 'user' ? 'caller' : 'ai', text: msg.message, start_ms: startMs };
      if (typeof msg.endTime === 'number' && typeof msg.time === 'number') turn.end_ms = startMs + (msg.endTime - msg.time);
      turn.at = iso(msg.time);
      transcript.push(turn);
    } else if (msg.role === 'tool_calls') {
      for (const tc of msg.toolCalls || []) toolCalls.push({ id: tc.id, name: tc.function && tc.function.name, at_ms: startMs });
    } else if (msg.role === 'tool_call_result') {
      const match = toolCalls.find((t) => t.id === msg.toolCallId);
      const result = typeof msg.result === 'string' ? msg.result : JSON.stringify(msg.result);
      if (match) match.result = result; else toolCalls.push({ name: msg.name, at_ms: startMs, result });
    }
  }
  const destination = m.destination && (m.destination.number || m.destination.sipUri);
  const forwarded = /forwarded|executed-transfer|forwarding-phone-number/.test(m.endedReason || '');
  const failed = /transfer-failed|warm-transfer|during-transfer|call\.forwarding\./.test(m.endedReason || '');
  const { fields, known } = customFields(m.analysis && m.analysis.structuredData, call.metadata, m.assistant && m.assistant.metadata);
  return {
    handoff: {
      version: 1, source: 'vapi', source_event: m.type, call_id: call.id,
      session_id: known.session_id, org_id: known.org_id, contact_id: known.contact_id,
      agent: { id: (m.assistant && m.assistant.id) || call.assistantId, name: m.assistant && m.assistant.name },
      call: {
        direction, from: direction === 'outbound' ? ours : customer, to: direction === 'outbound' ? customer : ours,
        started_at: isoFromText(m.startedAt || call.startedAt), ended_at: isoFromText(m.endedAt || call.endedAt),
        recording_url: artifact.recording && artifact.recording.mono ? artifact.recording.mono.combinedUrl : artifact.recordingUrl,
        session_url: known.session_url,
      },
      caller: { phone: customer, name: (call.customer && call.customer.name) || known.caller_name, email: known.caller_email },
      handoff: {
        mode: (forwarded || destination) && !failed ? 'live_transfer' : 'logged_escalation',
        requested_at: m.type === 'end-of-call-report' ? isoFromText(m.endedAt) : iso(m.timestamp),
        transfer_destination: destination,
        reason: known.handoff_reason ? { category: known.handoff_reason, caller_asked: known.caller_asked, ai_unresolved: known.ai_unresolved } : undefined,
        summary: (m.analysis && m.analysis.summary) || m.summary,
        sentiment: known.sentiment,
      },
      transcript,
      tool_calls: toolCalls.map(({ name, at_ms, result }) => ({ name, at_ms, result })),
      custom_fields: fields,
    },
  };
}

function fromRetell(body) {
  const call = body.call;
  if (!call || typeof call.call_id !== 'string') return { errors: [{ pointer: '/call/call_id', message: 'missing: call id' }] };
  const direction = call.call_type === 'web_call' ? 'web' : call.direction;
  const transcript = (call.transcript_object || []).map((t) => {
    const words = t.words || [];
    return {
      speaker: t.role === 'user' ? 'caller' : t.role === 'agent' ? 'ai' : 'system', text: t.content,
      start_ms: words.length ? seconds(words[0].start) : undefined, end_ms: words.length ? seconds(words[words.length - 1].end) : undefined,
    };
  });
  const toolCalls = (call.transcript_with_tool_calls || []).filter((t) => t.role === 'tool_call_invocation')
    .map((t) => ({ name: t.name, result: undefined }));
  const { fields, known } = customFields(call.collected_dynamic_variables, call.metadata, call.retell_llm_dynamic_variables);
  const caller = direction === 'outbound' ? call.to_number : call.from_number;
  return {
    handoff: {
      version: 1, source: 'retell', source_event: body.event, call_id: call.call_id,
      session_id: known.session_id, org_id: known.org_id, contact_id: known.contact_id,
      agent: { id: call.agent_id, name: call.agent_name },
      call: { direction, from: call.from_number, to: call.to_number, started_at: iso(call.start_timestamp), ended_at: iso(call.end_timestamp), recording_url: call.recording_url },
      caller: { phone: caller, name: known.caller_name, email: known.caller_email },
      handoff: {
        mode: call.disconnection_reason === 'call_transfer' || call.transfer_destination ? 'live_transfer' : 'logged_escalation',
        requested_at: iso(call.end_timestamp), transfer_destination: call.transfer_destination,
        summary: call.call_analysis && call.call_analysis.call_summary, sentiment: known.sentiment,
      },
      transcript, tool_calls: toolCalls, custom_fields: fields,
    },
  };
}

function fromElevenLabs(body) {
  const data = body.data;
  if (!data || typeof data.conversation_id !== 'string') return { errors: [{ pointer: '/data/conversation_id', message: 'missing: conversation id' }] };
  const meta = data.metadata || {};
  const phone = meta.phone_call;
  const direction = phone ? phone.direction : 'web';
  const startMs = typeof meta.start_time_unix_secs === 'number' ? meta.start_time_unix_secs * 1000 : undefined;
  const transcript = [];
  const toolCalls = [];
  for (const t of data.transcript || []) {
    if (t.message) transcript.push({ speaker: t.role === 'user' ? 'caller' : 'ai', text: t.message, start_ms: seconds(t.time_in_call_secs) });
    for (const tc of t.tool_calls || []) toolCalls.push({ name: tc.tool_name, at_ms: seconds(t.time_in_call_secs) });
  }
  const analysis = data.analysis || {};
  const collected = {};
  for (const [key, r] of Object.entries(analysis.data_collection_results || {})) collected[key] = r && r.value;
  const { fields, known } = customFields(collected, data.conversation_initiation_client_data && data.conversation_initiation_client_data.dynamic_variables);
  const caller = phone && phone.external_number;
  return {
    handoff: {
      version: 1, source: 'elevenlabs', source_event: body.type, call_id: data.conversation_id,
      session_id: known.session_id, org_id: known.org_id, contact_id: known.contact_id,
      agent: { id: data.agent_id, name: data.agent_name },
      call: {
        direction, from: direction === 'outbound' ? phone && phone.agent_number : caller, to: direction === 'outbound' ? caller : phone && phone.agent_number,
        started_at: iso(startMs), ended_at: iso(startMs + (meta.call_duration_secs || 0) * 1000),
      },
      caller: { phone: caller, name: known.caller_name, email: known.caller_email },
      handoff: {
        mode: /transfer/i.test(meta.termination_reason || '') ? 'live_transfer' : 'logged_escalation',
        requested_at: iso(body.event_timestamp * 1000), summary: analysis.transcript_summary, sentiment: known.sentiment,
      },
      transcript, tool_calls: toolCalls, custom_fields: fields,
    },
  };
}

function fromBland(body) {
  const callId = body.call_id || body.c_id;
  if (typeof callId !== 'string') return { errors: [{ pointer: '/call_id', message: 'missing: call id' }] };
  const startMs = Date.parse(body.started_at);
  const inbound = body.inbound !== false;
  const transcript = (body.transcripts || []).filter((t) => t.user !== 'agent-action').map((t) => ({
    speaker: t.user === 'user' ? 'caller' : t.user === 'assistant' ? 'ai' : 'human_agent', text: t.text,
    start_ms: Date.parse(t.created_at) - startMs, at: isoFromText(t.created_at),
  }));
  const { fields, known } = customFields(body.analysis, body.metadata, body.variables);
  return {
    handoff: {
      version: 1, source: 'bland', source_event: body.status, call_id: callId,
      session_id: known.session_id, org_id: known.org_id, contact_id: known.contact_id,
      call: {
        direction: inbound ? 'inbound' : 'outbound', from: body.from, to: body.to, started_at: iso(startMs),
        ended_at: iso(startMs + Math.round((body.call_length || 0) * 60000)), recording_url: body.recording_url,
      },
      caller: { phone: inbound ? body.from : body.to, name: known.caller_name, email: known.caller_email },
      handoff: {
        mode: body.transferred_to ? 'live_transfer' : 'logged_escalation', requested_at: isoFromText(body.transferred_at),
        transfer_destination: body.transferred_to, summary: body.summary, sentiment: known.sentiment,
      },
      transcript, tool_calls: [], custom_fields: fields,
    },
  };
}

function fromCanonical(body) {
  if (typeof body.call_id !== 'string') return { errors: [{ pointer: '/call_id', message: 'missing: call_id' }] };
  if (body.transcript !== undefined && !Array.isArray(body.transcript)) return { errors: [{ pointer: '/transcript', message: 'must be an array' }] };
  return { handoff: { ...body, source: body.source || 'canonical', call: { ...body.call }, caller: { ...body.caller } } };
}

const ADAPTERS = { vapi: fromVapi, retell: fromRetell, elevenlabs: fromElevenLabs, bland: fromBland, canonical: fromCanonical };

// ---- normalize -----------------------------------------------------------------------------------

function e164(raw, defaultCountry = '1') {
  if (typeof raw !== 'string' || raw === '') return undefined;
  if (/^(anonymous|restricted|private|unknown|unavailable|withheld|blocked)$/i.test(raw.trim())) return undefined;
  const s = raw.replace(/^tel:/, '').trim();
  let digits = s.replace(/[\s().-]/g, '');
  if (/^00\d/.test(digits)) digits = `+${digits.slice(2)}`;
  if (!digits.startsWith('+')) {
    digits = digits.replace(/^0/, '');
    digits = defaultCountry === '1' && /^1\d{10}$/.test(digits) ? `+${digits}` : `+${defaultCountry}${digits}`;
  }
  return /^\+\d{2,15}$/.test(digits) ? digits : undefined;
}

function normalize(handoff) {
  const call = handoff.call || {};
  call.from = e164(call.from) || call.from;
  call.to = e164(call.to) || call.to;
  const caller = handoff.caller || {};
  caller.phone = e164(caller.phone) || (call.direction === 'outbound' ? call.to : call.from);
  const started = Date.parse(call.started_at);
  const turns = (handoff.transcript || [])
    .filter((t) => typeof t.text === 'string' && t.text.trim() !== '')
    .map((t, index) => ({ ...t, start_ms: t.start_ms ?? (t.at && started ? Date.parse(t.at) - started : undefined), index }));
  turns.sort((a, b) => (a.start_ms ?? Infinity) - (b.start_ms ?? Infinity) || a.index - b.index);
  const seen = new Set();
  handoff.transcript = turns.filter((t) => {
    const key = `${t.speaker}\u0000${t.text}\u0000${t.start_ms}\u0000${t.end_ms}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).map(({ index, ...t }) => t);
  handoff.session_id = handoff.session_id || handoff.call_id;
  handoff.call = call;
  handoff.caller = caller;
  return handoff;
}

function parse(source, bodyText) {
  let body;
  try { body = JSON.parse(bodyText); } catch (err) { return { errors: [{ pointer: '', message: `not JSON: ${err.message}` }] }; }
  const adapter = ADAPTERS[source];
  if (!adapter) throw new Error(`unknown source ${source}`);
  const result = adapter(body);
  if (result.errors) return result;
  return { handoff: JSON.parse(JSON.stringify(normalize(result.handoff))), warnings: [] };  // drops undefined like the core omits absent values
}

// ---- redact --------------------------------------------------------------------------------------

function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

function redactText(text, counts) {
  if (typeof text !== 'string') return text;
  let out = text.replace(/\b\d(?:[ -]?\d){12,18}\b/g, (match) => {
    const digits = match.replace(/\D/g, '');
    if (!luhn(digits)) return match;
    counts.card++;
    return `[card ending ${digits.slice(-4)}]`;
  });
  out = out.replace(/\b(cvv|cvc|security code)(\D{0,12})\d{3,4}\b/gi, (m, word, gap) => { counts.card_security_code++; return `${word}${gap}[redacted]`; });
  out = out.replace(/\b\d{3}-\d{2}-\d{4}\b/g, () => { counts.ssn++; return '[ssn redacted]'; });
  return out;
}

function redact(handoff) {
  const counts = { card: 0, card_security_code: 0, card_expiry: 0, ssn: 0 };
  const h = { ...handoff, transcript: handoff.transcript.map((t) => ({ ...t, text: redactText(t.text, counts) })) };
  if (h.handoff) h.handoff = { ...h.handoff, summary: redactText(h.handoff.summary, counts) };
  h.tool_calls = (h.tool_calls || []).map((t) => ({ ...t, result: redactText(t.result, counts) }));
  return { handoff: h, redactions: counts };
}

// ---- render --------------------------------------------------------------------------------------

const pad = (n) => String(n).padStart(2, '0');
function stamp(ms) {
  if (typeof ms !== 'number') return '[--:--]';
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  return h ? `[${h}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}]` : `[${pad(Math.floor(s / 60))}:${pad(s % 60)}]`;
}
const oneLine = (s) => String(s).replace(/[\r\n]+/g, ' ');
const SPEAKER_CODE = { ai: 'a', caller: 'c', human_agent: 'h', system: 's' };

// Splits "prefix text" at spaces into lines of at most `limit` characters, repeating the prefix.
function splitLine(prefix, text, limit) {
  const lines = [];
  let rest = text;
  while (`${prefix}${rest}`.length > limit) {
    const room = limit - prefix.length;
    let cut = rest.lastIndexOf(' ', room);
    if (cut <= 0) cut = room;
    lines.push(`${prefix}${rest.slice(0, cut)}`);
    rest = rest.slice(cut).trimStart();
  }
  lines.push(`${prefix}${rest}`);
  return lines;
}

function render(handoff, config = {}) {
  const prefix = config.tagPrefix || 'opencx';
  const h = handoff.handoff || {};
  const tags = [`${prefix}_channel_phone`, `${prefix}_handedoff`, `${prefix}_handoff_${h.mode}`];
  if (h.follow_up && h.follow_up.channel) tags.push(`${prefix}_followup_${h.follow_up.channel}`);
  if (h.sentiment) tags.push(`${prefix}_sentiment_${h.sentiment}`);
  for (const t of config.extraTags || []) tags.push(t.toLowerCase().replace(/[^a-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 80));
  const agentName = (handoff.agent && handoff.agent.name) || config.aiDisplayName || 'AI agent';
  const callerName = handoff.caller.name || 'Caller';
  const author = { type: 'business', displayName: agentName.slice(0, 100) };
  const ids = { opencx_session_id: handoff.session_id, phone_handoff_call_id: handoff.call_id };

  const modeText = h.mode === 'live_transfer' ? `Live transfer${h.transfer_destination ? ` to ${h.transfer_destination}` : ''}` : 'Logged escalation';
  const summaryLines = [`📞 AI phone handoff — ${modeText}`];
  if (h.reason && h.reason.caller_asked) summaryLines.push(`Caller asked for: ${oneLine(h.reason.caller_asked).slice(0, 500)}`);
  if (h.reason && h.reason.category) summaryLines.push(`Reason: ${h.reason.category}`);
  summaryLines.push(`Caller: ${[handoff.caller.name, handoff.caller.phone, handoff.caller.email].filter(Boolean).join(', ')}`);
  if (handoff.call.started_at) {
    const secs = Math.round((Date.parse(handoff.call.ended_at) - Date.parse(handoff.call.started_at)) / 1000);
    summaryLines.push(`Call: ${Math.floor(secs / 60)} min ${secs % 60} s, started ${handoff.call.started_at.slice(0, 16).replace('T', ' ')} UTC`);
  }
  if (h.sentiment) summaryLines.push(`Sentiment: ${h.sentiment}`);
  if (h.summary) summaryLines.push(`Summary: ${oneLine(h.summary).slice(0, 1000)}`);
  if (handoff.call.recording_url) summaryLines.push(`Recording: ${handoff.call.recording_url}`);
  const messages = [{
    author, content: { type: 'text', text: summaryLines.join('\n') },
    metadata: { phone_handoff_kind: 'summary', ...ids, phone_handoff_mode: h.mode }, destination: { integrationType: 'none' },
  }];

  // Packed transcript: as many lines per message as fit in 4096 characters and a 4 KB turn table.
  const lines = [];
  handoff.transcript.forEach((t, seq) => {
    const label = t.speaker === 'caller' ? callerName : t.speaker === 'ai' ? agentName : t.speaker === 'human_agent' ? 'Agent' : 'System';
    const row = `${seq}:${SPEAKER_CODE[t.speaker] || 's'}:${t.start_ms ?? ''}:${t.end_ms ?? ''}`;
    for (const line of splitLine(`${stamp(t.start_ms)} ${label}: `, oneLine(t.text), MAX_TEXT)) lines.push({ line, seq, row });
  });
  const parts = [];
  let current = null;
  for (const { line, seq, row } of lines) {
    const fitsText = current && current.text.length + 1 + line.length <= MAX_TEXT;
    const fitsTable = current && (current.last === seq || current.table.length + 1 + row.length <= MAX_METADATA - 512);
    if (!fitsText || !fitsTable) {
      current = { text: line, first: seq, last: seq, table: row };
      parts.push(current);
      continue;
    }
    current.text += `\n${line}`;
    if (current.last !== seq) { current.table += `;${row}`; current.last = seq; }
  }
  parts.forEach((p, i) => messages.push({
    author, content: { type: 'text', text: p.text },
    metadata: {
      phone_handoff_kind: 'transcript', ...ids, phone_handoff_part: i + 1, phone_handoff_parts: parts.length,
      phone_handoff_first_turn: p.first, phone_handoff_last_turn: p.last, phone_handoff_turns: p.table,
    },
    destination: { integrationType: 'none' },
  }));

  const passControlMetadata = { 'dataCapture.systemField.tags': tags.join(',') };
  for (const [key, id] of Object.entries(config.ticketFields || {})) {
    if (typeof id === 'number' && id && handoff[key] !== undefined) passControlMetadata[`dataCapture.ticketField.${id}`] = String(handoff[key]);
  }
  return {
    tags,
    conversation: {
      type: 'personal', displayName: `Phone call from ${handoff.caller.name || handoff.caller.phone || 'an unknown caller'}`.slice(0, 100),
      description: modeText.slice(0, 100),
      metadata: { ...ids, phone_handoff_source: handoff.source, phone_handoff_mode: h.mode },
    },
    messages, passControlMetadata, warnings: [],
  };
}

// ---- plan: the Sunshine Conversations requests for a first delivery ------------------------------

function plan(handoff, rendered, config = {}) {
  const sunshine = config.sunshine || {};
  const externalId = handoff.caller.phone ? `${sunshine.userExternalIdPrefix || 'phone:'}${handoff.caller.phone}` : `call:${handoff.call_id}`;
  const app = '/sc/v2/apps/{appId}';
  const [givenName, ...surname] = (handoff.caller.name || '').split(' ');
  const requests = [
    {
      id: 'create-user', api: 'sunshine', method: 'POST', path: `${app}/users`, expect: [201], idempotent: true,
      body: { externalId, profile: { givenName: givenName || undefined, surname: surname.join(' ') || undefined, locale: handoff.call.language }, metadata: { phone: handoff.caller.phone } },
    },
    {
      id: 'create-conversation', api: 'sunshine', method: 'POST', path: `${app}/conversations`, expect: [201], idempotent: false,
      body: { ...rendered.conversation, participants: [{ userExternalId: externalId }] },
    },
    {
      id: 'pass-control-to-integration', api: 'sunshine', method: 'POST', path: `${app}/conversations/{conversationId}/passControl`, expect: [200], idempotent: true,
      body: { switchboardIntegration: sunshine.integration || 'phone-handoff' },
    },
    ...rendered.messages.map((message, i) => ({
      id: `post-message-${i + 1}`, api: 'sunshine', method: 'POST', path: `${app}/conversations/{conversationId}/messages`, expect: [201], idempotent: false, body: message,
    })),
    {
      id: 'pass-control-to-agent-workspace', api: 'sunshine', method: 'POST', path: `${app}/conversations/{conversationId}/passControl`, expect: [200], idempotent: false,
      body: { switchboardIntegration: sunshine.agentWorkspace || 'zd-agentWorkspace', metadata: { ...rendered.passControlMetadata, first_message_id: '{firstMessageId}' } },
    },
  ];
  return { done: false, requests: requests.map((r) => ({ ...r, body: r.body === null ? null : JSON.stringify(r.body) })) };
}

// The whole pipeline on one webhook body (text): what the benchmark times. The result is
// serialised, as the core's is, so both sides end with the text an executor would store.
function runPipeline(source, bodyText, config = {}) {
  const parsed = parse(source, bodyText);
  if (parsed.errors) return JSON.stringify(parsed);
  const { handoff, redactions } = redact(parsed.handoff);
  const rendered = render(handoff, config);
  rendered.redactions = redactions;
  return JSON.stringify({ rendered, plan: plan(handoff, rendered, config) });
}

module.exports = { parse, redact, render, plan, runPipeline };
