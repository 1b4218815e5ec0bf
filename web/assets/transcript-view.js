// The transcript: turns with speaker and time, tool calls inline at their time, search with
// highlighted matches, jumping between caller turns, and copying the whole transcript as text.
import { h, highlight } from './dom.js';
import { clock } from './format.js';

function asPlainText(turns) {
  const stamp = (ms) => (ms === undefined ? '--:--' : clock(ms));
  return turns.map((turn) => `[${stamp(turn.startMs)}] ${turn.speakerName || turn.speaker}: ${turn.text}`).join('\n');
}

async function copyText(text, doc) {
  if (doc.defaultView.navigator.clipboard && doc.defaultView.isSecureContext) {
    try {
      await doc.defaultView.navigator.clipboard.writeText(text);
      return true;
    } catch { /* fall back to the selection route below */ }
  }
  const area = h('textarea', { class: 'offscreen', readonly: true });
  area.value = text;
  doc.body.append(area);
  area.select();
  let ok = false;
  try { ok = doc.execCommand('copy'); } catch { ok = false; }
  area.remove();
  return ok;
}

// One transcript turn:
//   <li class="turn turn-ai" data-role="turn" data-speaker="ai" data-seq="3">
//     <div class="turn-head"><span class="speaker">Ava</span><time>00:14</time></div>
//     <p class="text">…</p></li>
// cloned from a blank one: a long call has hundreds of turns, and one clone plus three text
// assignments is a fraction of the DOM calls of building each node (text stays text either way).
let blankTurn = null;
function turnItem(turn, t) {
  if (!blankTurn) {
    blankTurn = h('li', { 'data-role': 'turn' }, [
      h('div', { class: 'turn-head' }, [h('span', { class: 'speaker' }), h('time')]), h('p', { class: 'text' })]);
  }
  const li = blankTurn.cloneNode(true);
  li.className = `turn turn-${turn.speaker}`;
  li.dataset.speaker = turn.speaker;
  li.dataset.seq = turn.seq;
  const head = li.firstChild;
  head.firstChild.textContent = turn.speakerName || t(`sidebar.speaker.${turn.speaker}`);
  if (turn.startMs !== undefined) head.lastChild.textContent = clock(turn.startMs);
  else head.lastChild.remove();
  li.lastChild.textContent = turn.text;
  return li;
}

// Tool calls go before the first turn that starts after them.
function interleave(turns, toolCalls) {
  const items = turns.map((turn) => ({ kind: 'turn', at: turn.startMs, turn }));
  const tools = (toolCalls || []).map((tool) => ({ kind: 'tool', at: tool.atMs, tool }));
  const out = [];
  let i = 0;
  for (const item of items) {
    while (i < tools.length && item.at !== undefined && tools[i].at !== undefined && tools[i].at < item.at) out.push(tools[i++]);
    out.push(item);
  }
  return out.concat(tools.slice(i));
}

export function renderTranscript(t, turns, toolCalls) {
  if (!turns.length && !(toolCalls || []).length) {
    return h('section', { class: 'card transcript', 'data-role': 'transcript' }, [
      h('h2', { text: t('sidebar.transcript.title') }), h('p', { class: 'muted', text: t('sidebar.transcript.empty') })]);
  }
  const textNodes = [];      // [{element, text}] for search
  const callerItems = [];
  const list = h('ol', { class: 'turns' });
  for (const item of interleave(turns, toolCalls)) {
    if (item.kind === 'tool') {
      const { tool } = item;
      list.append(h('li', { class: 'tool', 'data-role': 'tool-call' }, [
        h('time', { text: tool.atMs !== undefined ? clock(tool.atMs) : '' }),
        h('span', { class: 'tool-name', text: tool.name ? t('sidebar.transcript.toolCall', { name: tool.name }) : t('sidebar.transcript.toolCallUnnamed') }),
        tool.result ? h('span', { class: 'tool-result', text: tool.result }) : null,
      ]));
      continue;
    }
    const { turn } = item;
    const li = turnItem(turn, t);
    const text = li.lastChild;
    textNodes.push({ element: text, text: turn.text });
    if (turn.speaker === 'caller') callerItems.push(li);
    list.append(li);
  }

  const status = h('span', { class: 'status muted', 'data-role': 'status', 'aria-live': 'polite' });
  const search = h('input', {
    type: 'search', class: 'search', 'data-role': 'search',
    placeholder: t('sidebar.transcript.searchPlaceholder'), 'aria-label': t('sidebar.transcript.searchLabel'),
  });
  let marks = [];
  let markIndex = -1;
  const focusOn = (element) => {
    element.scrollIntoView({ block: 'nearest' });
  };
  const runSearch = () => {
    const query = search.value.trim();
    marks = [];
    for (const node of textNodes) marks.push(...highlight(node.element, node.text, query));
    markIndex = -1;
    if (!query) status.textContent = '';
    else if (marks.length === 0) status.textContent = t('sidebar.transcript.noMatches');
    else status.textContent = marks.length === 1 ? t('sidebar.transcript.oneMatch') : t('sidebar.transcript.matches', { count: marks.length });
  };
  search.addEventListener('input', runSearch);
  search.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' || !marks.length) return;
    event.preventDefault();
    if (markIndex >= 0) marks[markIndex].classList.remove('current');
    markIndex = (markIndex + (event.shiftKey ? marks.length - 1 : 1)) % marks.length;
    marks[markIndex].classList.add('current');
    focusOn(marks[markIndex]);
  });

  let callerIndex = -1;
  const jump = (step) => {
    if (!callerItems.length) return;
    if (callerIndex >= 0) callerItems[callerIndex].classList.remove('current');
    callerIndex = callerIndex < 0 ? (step > 0 ? 0 : callerItems.length - 1)
      : (callerIndex + step + callerItems.length) % callerItems.length;
    callerItems[callerIndex].classList.add('current');
    focusOn(callerItems[callerIndex]);
  };
  const copyButton = h('button', { type: 'button', class: 'button', 'data-role': 'copy', text: t('sidebar.transcript.copy') });
  copyButton.addEventListener('click', async () => {
    const ok = await copyText(asPlainText(turns), copyButton.ownerDocument);
    status.textContent = ok ? t('sidebar.transcript.copied') : t('sidebar.transcript.copyFailed');
  });

  return h('section', { class: 'card transcript', 'data-role': 'transcript' }, [
    h('h2', { text: t('sidebar.transcript.title') }),
    h('div', { class: 'toolbar' }, [
      search,
      h('div', { class: 'toolbar-buttons' }, [
        h('button', { type: 'button', class: 'button icon', 'data-role': 'previous-caller', title: t('sidebar.transcript.previousCaller'), 'aria-label': t('sidebar.transcript.previousCaller'), text: '\u2191', onclick: () => jump(-1) }),
        h('button', { type: 'button', class: 'button icon', 'data-role': 'next-caller', title: t('sidebar.transcript.nextCaller'), 'aria-label': t('sidebar.transcript.nextCaller'), text: '\u2193', onclick: () => jump(1) }),
        copyButton,
      ]),
    ]),
    status,
    list,
  ]);
}
