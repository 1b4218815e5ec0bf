// The sandbox page: tickets on the left, the selected ticket's conversation in the middle (caller
// and AI bubbles, packed transcript lines, the summary message), and the phone-handoff sidebar
// app on the right in an iframe, talking to the ZAF host emulation (zaf-host.js). Reads only the
// loopback inspection API; no credential ever reaches this page.
(function sandboxPage() {
  'use strict';

  const POLL_MS = 2000;
  const TRANSCRIPT_LINE = /^\[(\d+:\d\d(?::\d\d)?)\]\s+([^:]+):\s?(.*)$/;
  const byId = (id) => document.getElementById(id);
  let tickets = [];
  let selectedId = null;
  let host = null;
  let appBuilt = null;
  let appSettings = {};
  let renderedKey = '';

  function el(tag, attrs = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs)) {
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else node.setAttribute(key, value);
    }
    for (const child of children) node.append(child);
    return node;
  }

  async function api(method, path, body) {
    const response = await fetch(`/sandbox/api${path}`, {
      method, headers: body ? { 'Content-Type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined,
    });
    if (!response.ok) throw new Error(`${method} ${path}: HTTP ${response.status}`);
    return response.json();
  }

  const timeOf = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });

  function renderTicketList() {
    const list = byId('ticket-list');
    list.replaceChildren(...tickets.map((ticket) => {
      const item = el('li', { 'data-ticket-id': String(ticket.id), class: ticket.id === selectedId ? 'selected' : '' }, [
        el('span', { class: 'subject', text: ticket.subject }),
        el('span', { class: 'muted', text: `#${ticket.id} · ${ticket.requester ? ticket.requester.name : 'unknown requester'} · ${ticket.status}` }),
      ]);
      item.addEventListener('click', () => select(ticket.id));
      return item;
    }));
    byId('no-tickets').hidden = tickets.length > 0;
  }

  // Conversations Agent Workspace has not picked up: what a developer needs when no ticket shows.
  function renderUntracked(conversations) {
    const untracked = conversations.filter((c) => c.ticketId === null);
    byId('untracked-list').replaceChildren(...untracked.map((c) => el('li', { 'data-conversation-id': c.id }, [
      el('span', { text: `${c.displayName || c.id} · ${c.messages.length} message(s) · ` }),
      el('span', { class: 'muted', text: c.activeSwitchboardIntegration ? `active: ${c.activeSwitchboardIntegration.name}` : 'no active integration' }),
    ])));
    byId('no-untracked').hidden = untracked.length > 0;
  }

  // Packed transcript messages ("[mm:ss] Speaker: text" per line) become a small table.
  function messageBody(message) {
    const text = message.content.text || message.content.altText || `[${message.content.type}]`;
    const lines = text.split('\n');
    const parsed = lines.map((line) => TRANSCRIPT_LINE.exec(line));
    if (lines.length > 0 && parsed.every(Boolean)) {
      return el('div', { class: 'bubble transcript' }, parsed.flatMap((m) => [
        el('span', { class: 'at', text: m[1] }), el('span', { class: 'speaker', text: m[2] }), el('span', { text: m[3] }),
      ]));
    }
    return el('div', { class: 'bubble', text });
  }

  function renderConversation(ticket) {
    const requesterName = ticket.requester ? ticket.requester.name : 'Customer';
    byId('conversation').replaceChildren(...ticket.messages.map((message) => {
      const byUser = message.author.type === 'user';
      const kind = message.metadata && message.metadata.phone_handoff_kind;
      const classes = ['message', byUser ? 'end-user' : 'agent'];
      if (kind === 'summary') classes.push('summary');
      const meta = el('div', { class: 'meta' }, [
        el('span', { class: 'author', text: byUser ? requesterName : (message.author.displayName || 'Business') }),
        el('time', { datetime: message.received, text: timeOf(message.received) }),
      ]);
      if (kind) meta.append(el('span', { class: 'flag', text: kind }));
      if (message.silent) meta.append(el('span', { class: 'flag', title: 'destination {integrationType:"none"}: not sent to the caller', text: 'silent' }));
      return el('li', { class: classes.join(' '), 'data-message-id': message.id }, [meta, messageBody(message)]);
    }));
  }

  function renderTicket() {
    const ticket = tickets.find((t) => t.id === selectedId);
    byId('ticket-empty').hidden = Boolean(ticket);
    byId('ticket-view').hidden = !ticket;
    if (!ticket) return;
    byId('ticket-subject').textContent = ticket.subject;
    byId('ticket-number').textContent = `#${ticket.id}`;
    byId('ticket-requester').textContent = ticket.requester ? ticket.requester.name : 'unknown';
    const status = byId('ticket-status');
    status.textContent = ticket.status;
    status.className = `badge ${ticket.status}`;
    byId('close-ticket').disabled = ticket.status === 'closed';
    byId('reply-form').hidden = ticket.status === 'closed';
    byId('ticket-tags').replaceChildren(...ticket.tags.map((tag) => el('span', { class: 'tag', text: tag })));
    byId('ticket-fields').replaceChildren(...ticket.custom_fields.map((field) => el('tr', {}, [
      el('td', { text: `field ${field.id}` }), el('td', { text: String(field.value) }),
    ])));
    renderConversation(ticket);
  }

  // What the ZAF host answers for ticket.* paths, in ZAF's camelCase shapes.
  function zafData() {
    const ticket = tickets.find((t) => t.id === selectedId);
    const zafTicket = ticket && {
      id: ticket.id, subject: ticket.subject, status: ticket.status, tags: [...ticket.tags],
      requester: ticket.requester && {
        id: ticket.requester.id, name: ticket.requester.name, email: ticket.requester.email,
        externalId: ticket.requester.external_id, identities: [],
      },
      customFields: Object.fromEntries(ticket.custom_fields.map((f) => [f.id, f.value])),
      conversation: ticket.conversation,
      via: { channel: 'native_messaging' },
    };
    return {
      ticket: zafTicket,
      currentUser: { id: 1, name: 'Sandbox Admin', role: 'admin', locale: 'en-US', timeZone: { ianaName: 'UTC' } },
      currentAccount: { subdomain: 'sandbox', planName: 'sandbox' },
    };
  }

  function renderAppPanel() {
    const panel = byId('app-panel');
    if (host) { host.destroy(); host = null; }
    if (!appBuilt) {
      panel.replaceChildren(el('div', { id: 'app-placeholder', class: 'placeholder' }, [
        el('strong', { text: 'The phone-handoff app is not built.' }),
        el('p', { text: 'The sidebar app loads from web/assets/iframe.html; build the app and reload this page.' }),
      ]));
      return;
    }
    if (selectedId === null) { panel.replaceChildren(el('p', { class: 'empty', text: 'Select a ticket to load the app.' })); return; }
    const iframe = el('iframe', {
      id: 'app-frame', title: 'phone-handoff sidebar app',
      src: `/sandbox/app/assets/iframe.html?origin=${encodeURIComponent(window.location.origin)}&app_guid=sandbox`,
    });
    host = window.PhoneHandoffZafHost.createZafHost({
      iframe, appGuid: 'sandbox', getData: zafData, settings: appSettings,
      onResize: (size) => { if (size.height) iframe.style.height = String(size.height).match(/^\d+$/) ? `${size.height}px` : size.height; },
    });
    panel.replaceChildren(iframe);
  }

  function select(ticketId) {
    if (selectedId === ticketId) return;
    selectedId = ticketId;
    renderTicketList();
    renderTicket();
    renderAppPanel();
  }

  async function refresh() {
    try {
      const [{ tickets: latest }, { conversations }, app] = await Promise.all([
        api('GET', '/tickets'), api('GET', '/conversations'), appBuilt === null ? api('GET', '/app') : null,
      ]);
      if (app) { appBuilt = app.built; appSettings = app.settings; }
      renderUntracked(conversations);
      const key = JSON.stringify(latest.map((t) => [t.id, t.status, t.updated_at, t.messages.length, t.tags]));
      const before = tickets.find((t) => t.id === selectedId);
      tickets = latest;
      const after = tickets.find((t) => t.id === selectedId);
      // Tell the app about new messages the way Zendesk does.
      if (host && before && after && after.conversation.length !== before.conversation.length) {
        host.trigger('ticket.conversation.changed', after.conversation);
      }
      if (key !== renderedKey) {
        renderedKey = key;
        renderTicketList();
        renderTicket();
      }
      if (selectedId === null && tickets.length) select(tickets[tickets.length - 1].id);
      else if (!host && byId('app-panel').childElementCount === 0) renderAppPanel();
      byId('status-line').textContent = `${tickets.length} ticket(s) · updated ${timeOf(new Date().toISOString())}`;
    } catch (err) {
      byId('status-line').textContent = `cannot reach the sandbox: ${err.message}`;
    }
  }

  byId('close-ticket').addEventListener('click', async () => {
    if (selectedId === null) return;
    await api('POST', `/tickets/${selectedId}/close`, {});
    await refresh();
  });

  byId('reply-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const text = byId('reply-text').value;
    if (selectedId === null || text.trim() === '') return;
    try {
      await api('POST', `/tickets/${selectedId}/reply`, { text });
      byId('reply-text').value = '';
    } catch (err) {
      byId('status-line').textContent = `reply failed: ${err.message}`;
    }
    await refresh();
  });

  refresh();
  setInterval(refresh, POLL_MS);
}());
