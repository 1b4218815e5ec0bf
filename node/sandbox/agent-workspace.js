'use strict';
// What Zendesk Agent Workspace does with a messaging conversation (reference §4): when it gets
// control (passControl) — or is active when a user-authored message arrives — it opens a ticket,
// unless the conversation already has one that is not closed (new messages then thread into it).
// Ticket data comes from dataCapture.* metadata (conversation metadata, overridden by the
// passControl metadata); the requester is the Support user linked to the messaging user (by
// zendeskId, then externalId, else a new end user); the ticket shows the messages from
// first_message_id on, else the last 10. Closing a ticket hands control back with
// reason "ticketClosed".
const { createSupportUser } = require('./support');
const { presentMessage } = require('./sunshine/messages');
const { iso } = require('./http-util');

const TICKET_FIELD = /^dataCapture\.ticketField\.(\d+)$/;
const SYSTEM_FIELD = 'dataCapture.systemField.';

function dataCapture(conversation, metadata) {
  const out = {};
  for (const source of [conversation.metadata || {}, metadata || {}]) {
    for (const [key, value] of Object.entries(source)) if (key.startsWith('dataCapture.') || key === 'first_message_id') out[key] = value;
  }
  return out;
}

function splitTags(value) {
  if (value === undefined || value === null) return [];
  return [...new Set(String(value).split(/[\s,]+/).filter(Boolean))];
}

function createAgentWorkspace(state, deps) {
  const openTicketOf = (conversation) => {
    const ticket = conversation.ticketId && state.support.tickets.get(conversation.ticketId);
    return ticket && ticket.status !== 'closed' ? ticket : null;
  };
  const visible = (message) => !message.silent || state.settings.silentMessagesInTicket;

  function requesterFor(conversation, capture) {
    const user = state.users.get(conversation.participants[0]);
    if (!user) return null;
    let supportUser = user.zendeskId && state.support.users.get(Number(user.zendeskId));
    // A Support user merged away since the link was made: follow the merge to the survivor.
    while (supportUser && !supportUser.active && supportUser.mergedInto) supportUser = state.support.users.get(supportUser.mergedInto);
    if (supportUser && !supportUser.active) supportUser = null;
    if (!supportUser && user.externalId !== null) {
      supportUser = [...state.support.users.values()].find((u) => u.active && u.external_id === user.externalId);
    }
    if (!supportUser) {
      const profileName = [user.profile.givenName, user.profile.surname].filter(Boolean).join(' ');
      const email = capture[`${SYSTEM_FIELD}requester.email`] || user.profile.email;
      const emailTaken = email && [...state.support.users.values()].some((u) => u.active && u.email && u.email.toLowerCase() === email.toLowerCase());
      const created = createSupportUser(state, {
        name: capture[`${SYSTEM_FIELD}requester.name`] || profileName || `Messaging user ${user.id.slice(-6)}`,
        email: emailTaken ? undefined : email,
        external_id: user.externalId === null ? undefined : user.externalId,
      });
      supportUser = created.user;
    }
    if (supportUser) user.zendeskId = String(supportUser.id);
    return supportUser || null;
  }

  function openTicket(conversation, metadata) {
    const capture = dataCapture(conversation, metadata);
    const requester = requesterFor(conversation, capture);
    const notes = [];
    let shown;
    const firstId = capture.first_message_id;
    const start = firstId === undefined ? -1 : conversation.messages.findIndex((m) => m.id === firstId);
    if (start >= 0) {
      shown = conversation.messages.slice(start);
    } else {
      if (firstId !== undefined) notes.push(`first_message_id ${firstId} is not in the conversation; showing the last ${state.settings.ticketHistoryCount} messages`);
      shown = conversation.messages.slice(-state.settings.ticketHistoryCount);
    }
    shown = shown.filter(visible);
    const customFields = [];
    for (const [key, value] of Object.entries(capture)) {
      const match = TICKET_FIELD.exec(key);
      if (match) customFields.push({ id: Number(match[1]), value });
    }
    const system = (name) => capture[`${SYSTEM_FIELD}${name}`];
    const firstText = shown.find((m) => m.content.type === 'text');
    const now = Date.now();
    const ticket = {
      id: state.support.nextTicketId++,
      subject: system('subject') || `Conversation with ${requester ? requester.name : 'a messaging user'}`,
      description: system('description') || (firstText ? firstText.content.text || '' : ''),
      status: 'open', priority: system('priority') || null,
      requesterId: requester ? requester.id : null,
      assigneeId: system('assignee_id') || null, groupId: system('group_id') || null,
      brandId: system('brand_id') || null, organizationId: system('organization_id') || null,
      tags: splitTags(system('tags')), customFields,
      conversationId: conversation.id, messages: shown.map((m) => ({ ...m })),
      createdMs: now, updatedMs: now, notes,
    };
    state.support.tickets.set(ticket.id, ticket);
    conversation.ticketId = ticket.id;
    conversation.awaitingTicket = null;
    return ticket;
  }

  function onMessage(conversation, message) {
    const ticket = openTicketOf(conversation);
    if (ticket) {
      if (visible(message)) ticket.messages.push({ ...message });
      if (ticket.status === 'solved' && message.author.type === 'user') ticket.status = 'open';
      ticket.updatedMs = Date.now();
      return;
    }
    const active = conversation.activeSbiId && state.sbiById(conversation.activeSbiId);
    if (!active || active.integrationType !== 'zd:agentWorkspace') return;
    if (conversation.awaitingTicket) openTicket(conversation, conversation.awaitingTicket.metadata);
    else if (message.author.type === 'user') openTicket(conversation, {});
  }

  return {
    onControl(conversation, metadata) {
      if (openTicketOf(conversation)) return;
      // A ticket needs at least one message [3P]: wait for it.
      if (conversation.messages.length === 0) { conversation.awaitingTicket = { metadata }; return; }
      openTicket(conversation, metadata);
    },

    onMessage,

    // A rep answers from the ticket: a business message with source.type zd:agentWorkspace and
    // subtype "agent" [3P][SPEC], delivered to the caller's channels and to webhooks.
    agentReply(ticketId, text) {
      const ticket = state.support.tickets.get(ticketId);
      const conversation = ticket && state.conversations.get(ticket.conversationId);
      if (!conversation) return { error: 'no such ticket' };
      if (ticket.status === 'closed') return { error: 'the ticket is closed' };
      if (typeof text !== 'string' || text.trim() === '' || [...text].length > 4096) return { error: 'text must be 1–4096 characters' };
      if (conversation.messages.length >= state.settings.messageCap) return { error: 'the conversation is at its message cap' };
      const agent = [...state.support.users.values()].find((u) => u.email === state.credentials.supportEmail);
      const message = {
        id: state.newId(), receivedMs: Date.now(),
        author: { type: 'business', subtypes: ['agent'], displayName: agent ? agent.name : 'Agent' },
        content: { type: 'text', text }, source: { type: 'zd:agentWorkspace', integrationId: state.agentWorkspaceSbi().integrationId },
        metadata: null, deliveredToChannels: true, silent: false,
      };
      conversation.messages.push(message);
      conversation.lastUpdatedMs = message.receivedMs;
      deps().webhooks.emitMessage(conversation, message);
      onMessage(conversation, message);
      return { ticket, message };
    },

    // An agent solved or closed the ticket: Agent Workspace hands control back [ZD-HC].
    closeTicket(ticketId, status = 'closed') {
      const ticket = state.support.tickets.get(ticketId);
      if (!ticket) return null;
      ticket.status = status;
      ticket.updatedMs = Date.now();
      const conversation = state.conversations.get(ticket.conversationId);
      const aw = state.agentWorkspaceSbi();
      if (conversation && aw && conversation.activeSbiId === aw.id) {
        const { applyPassControl, applyReleaseControl } = require('./sunshine/switchboard');
        const next = aw.nextSwitchboardIntegrationId && state.sbiById(aw.nextSwitchboardIntegrationId);
        if (next) applyPassControl(deps(), conversation, next, null, 'ticketClosed');
        else applyReleaseControl(deps(), conversation, null, 'ticketClosed');
      }
      return ticket;
    },
  };
}

// The ticket's conversation the way the ZAF `ticket.conversation` API returns it: one entry per
// message with author, channel, message content and timestamp (plus the Sunshine metadata).
function ticketConversation(state, ticket) {
  const requester = ticket.requesterId && state.support.users.get(ticket.requesterId);
  return ticket.messages.map((message) => {
    const byUser = message.author.type === 'user';
    const text = message.content.text || message.content.altText || '';
    const entry = {
      author: {
        id: byUser && requester ? requester.id : null,
        name: byUser ? (requester ? requester.name : message.author.displayName || 'Customer') : (message.author.displayName || 'Business'),
        role: byUser ? 'end-user' : 'agent',
        avatar: message.author.avatarUrl || null,
      },
      channel: { name: 'native_messaging' },
      message: { content: text, contentType: 'text/plain', attachments: [] },
      timestamp: iso(message.receivedMs),
    };
    if (message.metadata) entry.metadata = { ...message.metadata };
    return entry;
  });
}

function ticketMessages(ticket) {
  return ticket.messages.map((m) => ({ ...presentMessage(m), silent: m.silent }));
}

module.exports = { createAgentWorkspace, ticketConversation, ticketMessages, splitTags };
