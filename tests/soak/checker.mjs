// The soak's verdict: given the corpus, the service's store (read after the last stop) and a
// snapshot of everything the sandbox Zendesk holds, list every violation of "nothing lost, nothing
// twice, nothing leaked", each with the call id it concerns. Pure: no I/O, so the self-check can
// feed it planted damage and prove that it fails.
import { createRequire } from 'node:module';
import { CARDS, cardDigits } from './corpus.mjs';

const require = createRequire(import.meta.url);
const core = require('../../node/index.js');

const text = (m) => (m.content && typeof m.content.text === 'string' ? m.content.text : '');
const kindOf = (m) => m.metadata && m.metadata.phone_handoff_kind;

// Luhn check over a digit string.
function luhn(digits) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) { d *= 2; if (d > 9) d -= 9; }
    sum += d;
  }
  return sum % 10 === 0;
}

// Card-like runs in free text: 13–19 digits, optionally grouped by single spaces or dashes, that
// pass the Luhn check. (Only applied to text people read: message bodies, ticket text, names.)
export function cardsIn(s) {
  const found = [];
  for (const m of s.matchAll(/(?<![\d])\d(?:[ -]?\d){12,18}(?![\d])/g)) {
    const digits = m[0].replace(/\D/g, '');
    if (luhn(digits)) found.push(m[0]);
  }
  return found;
}

// Every string inside a value, with a path, for the planted-card scan.
function* strings(value, where) {
  if (typeof value === 'string') yield [where, value];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${where}[${i}]`);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* strings(v, `${where}.${k}`);
}

const PLANTED = CARDS.map(cardDigits);
function plantedCardsIn(value, where) {
  const hits = [];
  for (const [path, s] of strings(value, where)) {
    const squeezed = s.replace(/[\s-]/g, '');
    for (const digits of PLANTED) if (squeezed.includes(digits)) hits.push(`${path} holds the card ${digits.slice(0, 4)}…${digits.slice(-4)} unmasked`);
  }
  return hits;
}

// check({ corpus, rows, storedDeliveries, acks, sandbox: {conversations, tickets, users, requests, webhooks}, handoffConfig, logs })
// → [{ callId, problem }]
export function check({ corpus, rows, storedDeliveries, acks, sandbox, handoffConfig, logs = '' }) {
  const violations = [];
  const bad = (callId, problem) => violations.push({ callId, problem });
  const rowByCall = new Map(rows.map((r) => [r.call_id, r]));
  const convsByCall = new Map();
  for (const c of sandbox.conversations) {
    const callId = c.metadata && c.metadata.phone_handoff_call_id;
    if (!convsByCall.has(callId)) convsByCall.set(callId, []);
    convsByCall.get(callId).push(c);
  }
  const ticketsByConversation = new Map();
  for (const t of sandbox.tickets) {
    if (!ticketsByConversation.has(t.conversationId)) ticketsByConversation.set(t.conversationId, []);
    ticketsByConversation.get(t.conversationId).push(t);
  }
  const known = new Set(corpus.map((h) => h.callId));

  for (const h of corpus) {
    const row = rowByCall.get(h.callId);
    const convs = convsByCall.get(h.callId) || [];
    if ((storedDeliveries.get(h.callId) || 0) < (acks.get(h.callId) || 0)) {
      bad(h.callId, `${acks.get(h.callId)} deliveries were acknowledged but only ${storedDeliveries.get(h.callId) || 0} are in the store`);
    }
    if (!row) { bad(h.callId, 'no handoff in the store'); continue; }
    if (h.permanent) {
      if (row.state !== 'dead') bad(h.callId, `the fault plan refuses this caller for good, yet the handoff is "${row.state}", not dead`);
      else if (!/find-user/.test(row.last_error || '') || !/403/.test(row.last_error || '')) bad(h.callId, `dead, but not for the planned 403 on find-user: ${row.last_error}`);
      if (convs.length) bad(h.callId, `${convs.length} conversation(s) for a handoff refused before its conversation`);
      continue;
    }
    if (row.state === 'dead') { bad(h.callId, `in the dead letter although no permanent fault was planned: ${row.last_error}`); continue; }
    if (row.state !== 'delivered' || Number(row.delivered_revision) !== Number(row.revision)) {
      bad(h.callId, `not delivered: state ${row.state}, revision ${row.revision}, delivered ${row.delivered_revision}, last error ${row.last_error}`);
    }
    if (convs.length !== 1) { bad(h.callId, `${convs.length} conversations (expected exactly 1)`); if (!convs.length) continue; }
    const conv = convs[0];
    const tickets = ticketsByConversation.get(conv.id) || [];
    if (tickets.length !== 1) bad(h.callId, `${tickets.length} tickets for conversation ${conv.id} (expected exactly 1)`);
    checkMessages(h, row, conv, handoffConfig, bad);
    if (tickets.length) checkTurns(h, tickets[0], bad);
  }
  for (const [callId, convs] of convsByCall) {
    if (!known.has(callId)) bad(callId || null, `${convs.length} conversation(s) that belong to no soak handoff (${convs.map((c) => c.id).join(', ')})`);
  }
  const conversationIds = new Set(sandbox.conversations.map((c) => c.id));
  for (const t of sandbox.tickets) if (!conversationIds.has(t.conversationId)) bad(null, `ticket ${t.id} belongs to no conversation`);
  for (const r of rows) if (!known.has(r.call_id)) bad(r.call_id, 'a handoff in the store that the soak never sent');
  checkCallers(corpus, sandbox, convsByCall, ticketsByConversation, bad);

  // No unmasked card anywhere Zendesk keeps or sees anything, nor in the service's logs.
  const callOf = new Map(sandbox.conversations.map((c) => [c.id, c.metadata && c.metadata.phone_handoff_call_id]));
  for (const c of sandbox.conversations) {
    for (const hit of plantedCardsIn(c, `conversation ${c.id}`)) bad(callOf.get(c.id), hit);
    for (const m of c.messages) for (const found of cardsIn(text(m))) bad(callOf.get(c.id), `message ${m.id} holds a card-like number ${found}`);
  }
  for (const t of sandbox.tickets) {
    for (const hit of plantedCardsIn(t, `ticket ${t.id}`)) bad(callOf.get(t.conversationId) || null, hit);
    for (const found of cardsIn(`${t.subject || ''}\n${t.description || ''}`)) bad(callOf.get(t.conversationId) || null, `ticket ${t.id} holds a card-like number ${found}`);
  }
  for (const hit of plantedCardsIn(sandbox.users, 'users')) bad(null, hit);
  for (const hit of plantedCardsIn(sandbox.requests, 'request log')) bad(null, hit);
  for (const hit of plantedCardsIn(sandbox.webhooks, 'webhook deliveries')) bad(null, hit);
  for (const hit of plantedCardsIn(logs, 'service logs')) bad(null, hit);
  return violations;
}

// One messaging user per caller number however many calls and retries it had, and every ticket
// of one caller on the same Support requester (a repeat caller is one person in Zendesk).
function checkCallers(corpus, sandbox, convsByCall, ticketsByConversation, bad) {
  const callsByPhone = new Map();
  for (const h of corpus.filter((x) => !x.permanent)) {
    if (!callsByPhone.has(h.phone)) callsByPhone.set(h.phone, []);
    callsByPhone.get(h.phone).push(h.callId);
  }
  const usersByExternalId = new Map();
  for (const u of sandbox.users.messaging) usersByExternalId.set(u.externalId, (usersByExternalId.get(u.externalId) || 0) + 1);
  for (const [phone, calls] of callsByPhone) {
    const n = usersByExternalId.get(`phone:${phone}`) || 0;
    if (n !== 1) bad(calls[0], `${n} messaging users for caller ${phone} (expected 1; calls ${calls.join(', ')})`);
    usersByExternalId.delete(`phone:${phone}`);
    const requesters = new Set();
    for (const callId of calls) {
      for (const c of convsByCall.get(callId) || []) for (const t of ticketsByConversation.get(c.id) || []) requesters.add(t.requester_id);
    }
    if (requesters.size > 1) bad(calls[0], `the tickets of caller ${phone} are on ${requesters.size} different requesters (calls ${calls.join(', ')})`);
  }
  for (const [externalId, n] of usersByExternalId) bad(null, `${n} messaging user(s) "${externalId}" that no delivered handoff calls for`);
}

// The conversation holds exactly what render makes of the stored handoff: every transcript part
// once, in order, and the summary (an update event may add one summary update).
function checkMessages(h, row, conv, handoffConfig, bad) {
  const rendered = core.render(row.handoff, handoffConfig).messages;
  const ours = conv.messages.filter((m) => m.metadata && m.metadata.phone_handoff_call_id === h.callId);
  const others = conv.messages.length - ours.length;
  if (others) bad(h.callId, `${others} message(s) in the conversation that phone-handoff did not post`);
  const parts = ours.filter((m) => kindOf(m) === 'transcript');
  const want = rendered.filter((m) => m.metadata.phone_handoff_kind === 'transcript');
  const seen = parts.map((m) => m.metadata.phone_handoff_part);
  const expected = want.map((m) => m.metadata.phone_handoff_part);
  if (JSON.stringify(seen) !== JSON.stringify(expected)) {
    bad(h.callId, `transcript parts in the conversation are [${seen.join(',')}], expected [${expected.join(',')}] (each once, in order)`);
  } else {
    parts.forEach((m, i) => { if (text(m) !== want[i].content.text) bad(h.callId, `transcript part ${seen[i]} differs from what render makes`); });
  }
  const summaries = ours.filter((m) => kindOf(m) === 'summary');
  const summary = rendered.find((m) => m.metadata.phone_handoff_kind === 'summary');
  const allowed = h.hasUpdate ? 2 : 1;
  if (summaries.length < 1 || summaries.length > allowed) bad(h.callId, `${summaries.length} summary messages (expected ${h.hasUpdate ? '1 or 2: an update may add one' : '1'})`);
  else if (!h.hasUpdate && summary && text(summaries[0]) !== summary.content.text) bad(h.callId, 'the summary message differs from what render makes');
  const other = ours.length - parts.length - summaries.length;
  if (other) bad(h.callId, `${other} message(s) of an unknown kind`);
  const order = ours.map(kindOf);
  if (order[0] !== 'summary') bad(h.callId, `the first message is "${order[0]}", not the summary`);
}

// The ticket, read back the way the sidebar reads it, shows every turn of the call once and in
// order (with the core's redaction applied).
function checkTurns(h, ticket, bad) {
  const read = core.conversation(ticket.conversation);
  const expected = core.redact(h.handoff).handoff.transcript;
  const turns = read.turns || [];
  if (!read.isHandoff) { bad(h.callId, `ticket ${ticket.id} does not read back as a handoff`); return; }
  if (turns.length !== expected.length) { bad(h.callId, `ticket ${ticket.id} shows ${turns.length} turns, the call had ${expected.length}`); return; }
  for (const [i, t] of turns.entries()) {
    const e = expected[i];
    if (t.seq !== i || t.speaker !== e.speaker || t.text !== e.text || (e.start_ms !== undefined && t.startMs !== e.start_ms)) {
      bad(h.callId, `ticket ${ticket.id} turn ${i} is ${JSON.stringify({ seq: t.seq, speaker: t.speaker, text: t.text.slice(0, 60) })}, expected ${JSON.stringify({ speaker: e.speaker, text: e.text.slice(0, 60) })}`);
      return;
    }
  }
}
