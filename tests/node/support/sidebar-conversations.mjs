import fs from 'node:fs';

// Ticket conversations as ZAF's client.get('ticket.conversation') returns them, for the sidebar
// tests: a summary message and packed transcript messages with the metadata render attaches
// (phone_handoff_kind, part numbers, the turn table). Hand-made until render's output is used.

const pad = (n) => String(n).padStart(2, '0');
const stamp = (ms) => {
  const s = Math.floor(ms / 1000);
  return s >= 3600 ? `${Math.floor(s / 3600)}:${pad(Math.floor((s % 3600) / 60))}:${pad(s % 60)}` : `${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
};
const CODE = { ai: 'a', caller: 'c', human_agent: 'h', system: 's' };

export function zafMessage(text, metadata, { role = 'agent', name = 'AI agent', at = '2026-01-01T00:05:00.000Z' } = {}) {
  const entry = {
    author: { id: null, name, role, avatar: null },
    channel: { name: 'native_messaging' },
    message: { content: text, contentType: 'text/plain', attachments: [] },
    timestamp: at,
  };
  if (metadata) entry.metadata = metadata;
  return entry;
}

// turns: [{speaker, name, text, startMs, endMs}] → packed messages of at most `limit` characters.
export function transcriptMessages(turns, { callId = 'call_1', limit = 4096 } = {}) {
  const parts = [];
  let lines = [];
  let table = [];
  let length = 0;
  const flush = () => {
    if (!lines.length) return;
    parts.push({ text: lines.join('\n'), table: table.join(';'), first: table[0].split(':')[0], last: table[table.length - 1].split(':')[0] });
    lines = []; table = []; length = 0;
  };
  turns.forEach((turn, seq) => {
    const line = `[${stamp(turn.startMs)}] ${turn.name}: ${turn.text}`;
    if (length + line.length + 1 > limit) flush();
    lines.push(line);
    table.push(`${seq}:${CODE[turn.speaker]}:${turn.startMs ?? ''}:${turn.endMs ?? ''}`);
    length += line.length + 1;
  });
  flush();
  return parts.map((p, i) => zafMessage(p.text, {
    phone_handoff_kind: 'transcript', phone_handoff_call_id: callId, phone_handoff_part: i + 1,
    phone_handoff_parts: parts.length, phone_handoff_first_turn: Number(p.first), phone_handoff_last_turn: Number(p.last),
    phone_handoff_turns: p.table, opencx_session_id: 'sess_1',
  }));
}

export function summaryMessage(lines, callId = 'call_1') {
  return zafMessage(lines.join('\n'), { phone_handoff_kind: 'summary', phone_handoff_call_id: callId, opencx_session_id: 'sess_1' });
}

export function ticket(conversation, extra = {}) {
  return {
    ticket: {
      id: 42, subject: 'Phone call', status: 'open', tags: ['opencx_channel_phone'],
      requester: { id: 7, name: 'Jane Doe', email: 'jane@example.com' },
      customFields: { 360001: 'sess_1' }, conversation, ...extra,
    },
    currentUser: { id: 1, name: 'Rep', role: 'agent', locale: 'en-US' },
    currentAccount: { subdomain: 'example' },
  };
}

export function shortCall() {
  const turns = [
    { speaker: 'ai', name: 'Ava', text: 'Thanks for calling Northwind, how can I help?', startMs: 1400, endMs: 3900 },
    { speaker: 'caller', name: 'Jane Doe', text: 'I want a refund for order 1234, it arrived broken.', startMs: 4500, endMs: 8200 },
    { speaker: 'ai', name: 'Ava', text: 'Let me check that order for you.', startMs: 8600, endMs: 10100 },
    { speaker: 'ai', name: 'Ava', text: 'Refunds over $100 need a colleague, I am transferring you now.', startMs: 14000, endMs: 18000 },
    { speaker: 'caller', name: 'Jane Doe', text: 'My card is 4111 **** **** 1111 if they need it.', startMs: 18500, endMs: 21000 },
  ];
  const transcript = transcriptMessages(turns);
  transcript[0].message.content = transcript[0].message.content.replace('[00:14]', '[00:11] Tool lookup_order: order 1234, $180, delivered\n[00:14]');
  return ticket([
    zafMessage('Hi, I just called about my order', null, { role: 'end-user', name: 'Jane Doe' }),
    summaryMessage([
      'AI phone call handed off (live transfer)',
      'Caller asked for: a refund for order 1234',
      'AI could not resolve: refunds over $100 need a human',
      'Reason: missing_tools',
      'Mode: Live transfer',
      'Transfer to: +15550100200',
      'Caller: Jane Doe, +15550009999, jane@example.com',
      'Started: 2026-01-01T00:01:02.000Z',
      'Duration: 0:21',
      'Sentiment: angry',
      'Session: https://app.example/sessions/sess_1',
      'Recording: https://rec.example/r/1.wav',
    ]),
    ...transcript,
  ]);
}

// A long call: 400 alternating turns, packed into several 4096-character messages, with one turn
// long enough to be split.
export function longCall(count = 400) {
  const turns = [];
  let t = 1000;
  for (let i = 0; i < count; i++) {
    const ai = i % 2 === 0;
    const text = ai
      ? `Step ${i}: I can help with the refund for order ${1000 + i}; please confirm the delivery address.`
      : `Turn ${i}: yes, the address is ${i} Main Street, and I still want the refund.`;
    const duration = 2000 + (i % 7) * 300;
    turns.push({ speaker: ai ? 'ai' : 'caller', name: ai ? 'Ava' : 'Caller', text, startMs: t, endMs: t + duration });
    t += duration + 400 + (i === 200 ? 9000 : 0);
  }
  return ticket([
    summaryMessage(['Caller asked for: a refund', 'AI could not resolve: refund approval', 'Mode: live transfer',
      'Started: 2026-01-01T00:01:02.000Z', 'Sentiment: neutral']),
    ...transcriptMessages(turns),
  ]);
}

export function loggedEscalationSms() {
  return ticket([
    summaryMessage([
      'Caller asked for: change the delivery address',
      'AI could not resolve: address changes after dispatch',
      'Reason: missing_knowledge',
      'Mode: Logged escalation',
      'Follow-up: SMS to +15550009999',
      'Caller: Sam Lee, +15550009999',
      'Sentiment: happy',
    ]),
    ...transcriptMessages([
      { speaker: 'ai', name: 'Ava', text: 'Hello, how can I help?', startMs: 1000, endMs: 2500 },
      { speaker: 'caller', name: 'Caller', text: 'Please change my delivery address.', startMs: 3000, endMs: 5000 },
    ]),
  ]);
}

export function ordinaryTicket() {
  return ticket([
    zafMessage('Where is my order?', null, { role: 'end-user', name: 'Bob' }),
    zafMessage('It ships tomorrow.', null, { role: 'agent', name: 'Rep' }),
  ], { tags: [] });
}

export const HOSTILE_TEXT = '<script>window.pwned=1</script><img src=x onerror="window.pwned=2">';

export function hostileCall() {
  return ticket([
    summaryMessage([
      `Caller asked for: ${HOSTILE_TEXT}`,
      'AI could not resolve: <a href="javascript:window.pwned=3">click</a>',
      'Mode: live transfer',
      'Caller: <b onmouseover="window.pwned=4">Eve</b>, +15550009999',
      'Session: javascript:window.pwned=5',
      'Recording: data:text/html,<script>window.pwned=6</script>',
    ]),
    ...transcriptMessages([
      { speaker: 'ai', name: '<img src=x onerror="window.pwned=7">', text: 'Hello', startMs: 1000, endMs: 2000 },
      { speaker: 'caller', name: 'Caller', text: HOSTILE_TEXT, startMs: 2500, endMs: 4000 },
    ]),
  ]);
}

// A canonical fixture as render posts it, shown the way Zendesk gives it to the sidebar. Returns
// null when the backend cannot parse or render (e.g. a build older than those operations).
export function renderedFixture(backend, fixturePath, config = {}) {
  const parsed = JSON.parse(backend.call('parse', ['canonical', fs.readFileSync(fixturePath)]));
  if (!parsed.handoff) return null;
  const rendered = JSON.parse(backend.call('render', [JSON.stringify(parsed.handoff), JSON.stringify(config)]));
  if (!rendered.messages) return null;
  const conversation = rendered.messages.map((m) => zafMessage(m.content.text, m.metadata, m.author.type === 'business'
    ? { role: 'agent', name: m.author.displayName || 'AI agent' } : { role: 'end-user', name: 'Caller' }));
  return { handoff: parsed.handoff, data: ticket(conversation) };
}
