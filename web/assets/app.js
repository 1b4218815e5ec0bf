// The ticket sidebar app: handshake with Zendesk, read the ticket's conversation, let the core
// (WebAssembly) rebuild the call, and render it. Every string shown comes from translations.
import { createZafClient } from './zaf-client.js';
import { loadCore } from './core-loader.js';
import { loadStrings, makeTranslator } from './i18n.js';
import { h } from './dom.js';
import { warmUpDateTime } from './format.js';
import { renderSummary, renderStats } from './summary-view.js';
import { renderTranscript } from './transcript-view.js';

const REGISTRATION_TIMEOUT_MS = 10000;
const root = document.getElementById('app');
const timing = { rendered: null };
window.phoneHandoffTiming = timing;
// Performance marks (ms since this iframe's navigation started) for the benchmark and DevTools:
// phone-handoff:core-ready, :ticket-read, :view-built and, once, :rendered.
const mark = (name) => performance.mark(`phone-handoff:${name}`);

function show(...nodes) {
  root.replaceChildren(...nodes);
}

function message(kind, text) {
  return h('p', { class: `message message-${kind}`, 'data-role': kind, text });
}

// Zendesk has no documented theme in the app context; accept the likely spellings, otherwise
// the dark palette follows prefers-color-scheme (the link's media query).
function applyTheme(value) {
  const theme = String(value || '').toLowerCase();
  document.documentElement.classList.toggle('theme-dark', theme === 'dark');
  document.documentElement.classList.toggle('theme-light', theme === 'light');
  const dark = document.getElementById('theme-dark');
  if (dark) dark.media = theme === 'dark' ? 'all' : theme === 'light' ? 'not all' : '(prefers-color-scheme: dark)';
}

function themeFrom(context) {
  if (!context) return null;
  return context.colorScheme || context.theme || (context.appearance && context.appearance.colorScheme) || null;
}

// The iframe follows the content's height. The observer reports the first size by itself at the
// next rendering step; measuring here as well would force a layout while the app is starting.
function keepSized(client) {
  let last = 0;
  const resize = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    client.invoke('resize', { width: '100%', height: `${height}px` }).catch(() => {});
  };
  new ResizeObserver(resize).observe(document.documentElement);
}

function settingNumber(settings, name) {
  const n = Number(settings && settings[name]);
  return Number.isInteger(n) && n > 0 ? n : null;
}

async function readTicket(client, settings) {
  const sessionField = settingNumber(settings, 'sessionIdFieldId');
  const callField = settingNumber(settings, 'callIdFieldId');
  const paths = ['ticket.conversation', 'ticket.requester', 'ticket.tags'];
  const fieldPath = (id) => `ticket.customField:custom_field_${id}`;
  if (sessionField) paths.push(fieldPath(sessionField));
  if (callField) paths.push(fieldPath(callField));
  const result = await client.get(paths);
  mark('ticket-read');
  if (result.errors && result.errors['ticket.conversation']) {
    throw new Error(result.errors['ticket.conversation'].message || 'ticket.conversation is unavailable');
  }
  const requester = result['ticket.requester'] || {};
  const config = {
    tagPrefix: (settings && settings.tagPrefix) || 'opencx',
    requester: { name: typeof requester.name === 'string' ? requester.name : undefined,
      email: typeof requester.email === 'string' ? requester.email : undefined },
  };
  const text = (value) => (value === null || value === undefined || value === '' ? undefined : String(value));
  if (sessionField) config.sessionId = text(result[fieldPath(sessionField)]);
  if (callField) config.callId = text(result[fieldPath(callField)]);
  if (settings && typeof settings.sessionUrlTemplate === 'string' && settings.sessionUrlTemplate) {
    config.sessionUrlTemplate = settings.sessionUrlTemplate;
  }
  return { conversation: result['ticket.conversation'] || [], config };
}

function renderCall(t, view, locale) {
  if (!view.isHandoff) {
    show(message('not-handoff', t('sidebar.notHandoff')));
    return;
  }
  show(
    renderSummary(t, view.summary, locale),
    renderStats(t, view.stats),
    renderTranscript(t, view.turns || [], view.toolCalls || []),
  );
}

async function showOutsideZendesk() {
  const t = makeTranslator(await loadStrings(navigator.language));
  show(message('outside', t('sidebar.outsideZendesk')));
}

async function start() {
  const client = createZafClient(window);
  // The core and the strings load, and ICU's date data is read in (see format.js), while
  // Zendesk answers the handshake.
  const corePromise = loadCore(window);
  corePromise.catch(() => {});   // handled below; avoids an unhandled-rejection report meanwhile
  loadStrings(navigator.language);
  warmUpDateTime();
  if (!client) {
    await showOutsideZendesk();
    return;
  }
  // A host that never answers the handshake must not leave a blank panel.
  const registration = await Promise.race([
    client.registered,
    new Promise((resolve) => { setTimeout(() => resolve(null), REGISTRATION_TIMEOUT_MS); }),
  ]);
  if (!registration) {
    await showOutsideZendesk();
    return;
  }
  const { context, metadata } = registration;
  const settings = (metadata && metadata.settings) || {};
  // The ticket is asked for at once, so it travels while the rest of the app gets ready.
  const firstTicket = readTicket(client, settings);
  firstTicket.catch(() => {});   // shown by refresh below
  applyTheme(themeFrom(context));
  client.on('colorScheme.changed', (value) => applyTheme(value && value.colorScheme ? value.colorScheme : value));
  const locale = (context && context.currentUser && context.currentUser.locale) || navigator.language;
  const t = makeTranslator(await loadStrings(locale));
  show(message('loading', t('sidebar.loading')));
  keepSized(client);

  let core;
  try {
    core = await corePromise;
    mark('core-ready');
  } catch (error) {
    console.error(error);
    show(message('wasm-unavailable', t('sidebar.wasmUnavailable')));
    return;
  }

  const refresh = async (ticketRead) => {
    let ticket;
    try {
      ticket = await ticketRead;
    } catch (error) {
      show(message('error', t('sidebar.loadFailed', { message: error.message })));
      return;
    }
    const view = JSON.parse(core.call('conversation', [JSON.stringify(ticket.conversation), JSON.stringify(ticket.config)]));
    mark('view-built');
    if (view.error) {
      show(message('error', t('sidebar.coreError', { message: view.error.message })));
      return;
    }
    renderCall(t, view, locale);
    if (timing.rendered === null) {
      timing.rendered = performance.now();
      mark('rendered');
      document.documentElement.dataset.rendered = 'true';
    }
  };
  client.on('ticket.conversation.changed', () => { refresh(readTicket(client, settings)); });
  await refresh(firstTicket);
}

start();
