// The summary card and the talk-time figures, from the core's `conversation` result.
import { h, link } from './dom.js';
import { dateTime, duration, percent } from './format.js';

function row(label, value) {
  if (value === null || value === undefined || value === '') return null;
  return h('div', { class: 'row' }, [h('dt', { text: label }), h('dd', {}, [value])]);
}

function followUp(t, followUpInfo) {
  if (!followUpInfo) return null;
  const { channel, address, href } = followUpInfo;
  const channelName = channel ? t(`sidebar.followUpChannel.${channel}`) : '';
  if (href && address) {
    return h('span', {}, [
      channelName ? h('span', { class: 'muted', text: `${channelName} · ` }) : null,
      link(href, t(`sidebar.followUpAction.${channel}`, { address }), { class: 'action', 'data-role': 'follow-up' }),
    ]);
  }
  return [channelName, address].filter(Boolean).join(' · ');
}

function caller(info) {
  if (!info) return null;
  return [info.name, info.phone, info.email].filter(Boolean).join(' · ') || null;
}

export function renderSummary(t, summary, locale) {
  const s = summary || {};
  const badges = h('div', { class: 'badges' }, [
    s.mode ? h('span', { class: `badge badge-${s.mode}`, 'data-role': 'mode', text: t(`sidebar.mode.${s.mode}`) }) : null,
    s.sentiment ? h('span', {
      class: `badge badge-sentiment-${/^(angry|neutral|happy)$/.test(s.sentiment) ? s.sentiment : 'other'}`,
      'data-role': 'sentiment',
      text: /^(angry|neutral|happy)$/.test(s.sentiment) ? t(`sidebar.sentiment.${s.sentiment}`) : s.sentiment,
    }) : null,
  ]);
  const when = [s.startedAt ? dateTime(s.startedAt, locale) : null,
    s.durationSeconds !== undefined ? duration(s.durationSeconds) : null].filter(Boolean).join(' · ');
  const links = h('div', { class: 'links' }, [
    s.sessionUrl ? link(s.sessionUrl, t('sidebar.summary.viewSession'), { class: 'button', 'data-role': 'session' }) : null,
    s.recordingUrl ? link(s.recordingUrl, t('sidebar.summary.recording'), { class: 'button', 'data-role': 'recording' }) : null,
  ]);
  const fields = [
    row(t('sidebar.summary.askedFor'), s.askedFor),
    row(t('sidebar.summary.unresolved'), s.unresolved),
    row(t('sidebar.summary.reason'), s.reason),
    row(t('sidebar.summary.destination'), s.destination),
    row(t('sidebar.summary.followUp'), followUp(t, s.followUp)),
    row(t('sidebar.summary.caller'), caller(s.caller)),
    row(t('sidebar.summary.callTime'), when),
    row(t('sidebar.summary.summaryText'), s.text),
  ].filter(Boolean);
  return h('section', { class: 'card summary', 'data-role': 'summary' }, [
    h('header', { class: 'card-header' }, [h('h2', { text: t('sidebar.summary.title') }), badges]),
    fields.length ? h('dl', {}, fields) : h('p', { class: 'muted', text: t('sidebar.summary.noSummary') }),
    links.childElementCount ? links : null,
  ]);
}

export function renderStats(t, stats) {
  if (!stats || !stats.turnCount) return null;
  const clock = (ms) => duration(ms / 1000);
  const total = stats.aiTalkMs + stats.callerTalkMs;
  const aiShare = percent(stats.aiTalkMs, total);
  // Widths through the CSSOM, not a style attribute: a strict style-src CSP allows only this.
  const aiPart = h('span', { class: 'split-ai' });
  const callerPart = h('span', { class: 'split-caller' });
  aiPart.style.width = `${aiShare}%`;
  callerPart.style.width = `${total > 0 ? 100 - aiShare : 0}%`;
  const aiText = t('sidebar.stats.ai', { time: clock(stats.aiTalkMs) });
  const callerText = t('sidebar.stats.caller', { time: clock(stats.callerTalkMs) });
  const bar = h('div', { class: 'split', role: 'img', 'aria-label': `${aiText}, ${callerText}` }, [aiPart, callerPart]);
  return h('section', { class: 'card stats', 'data-role': 'stats' }, [
    h('h2', { text: t('sidebar.stats.title') }),
    bar,
    h('div', { class: 'legend' }, [
      h('span', { class: 'legend-ai', 'data-role': 'ai-talk', text: aiText }),
      h('span', { class: 'legend-caller', 'data-role': 'caller-talk', text: callerText }),
    ]),
    h('div', { class: 'muted' }, [
      t('sidebar.stats.turns', { count: stats.turnCount }),
      stats.longestSilenceMs !== undefined ? ` · ${t('sidebar.stats.longestSilence', { time: clock(stats.longestSilenceMs) })}` : '',
      stats.estimated ? ` · ${t('sidebar.stats.estimated')}` : '',
    ]),
  ]);
}
