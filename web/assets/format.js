// Display formatting only (times, durations, percentages); the call itself is read by the core.

const pad = (n) => String(n).padStart(2, '0');

// 62000 → "01:02"; past an hour "1:02:03" (the same shape the transcript messages use).
export function clock(ms) {
  const total = Math.max(0, Math.floor((Number(ms) || 0) / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

// 125 → "2m 05s"; 3725 → "1h 02m 05s"; 42 → "42s".
export function duration(seconds) {
  const total = Math.max(0, Math.round(Number(seconds) || 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${pad(m)}m ${pad(s)}s`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

const DATE_TIME = { dateStyle: 'medium', timeStyle: 'short' };

export function dateTime(iso, locale) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return String(iso);
  try {
    return new Intl.DateTimeFormat(locale || undefined, DATE_TIME).format(date);
  } catch {
    return date.toISOString();
  }
}

// The first Intl formatter a renderer process creates loads ICU's locale, calendar and time-zone
// data (15-60 ms measured in a fresh headless Chromium page on this machine; the next one takes
// 0.1 ms). The app calls this once Zendesk has its handshake and the core is on its way, so the
// loading overlaps Zendesk's answer instead of following it; the summary's formatter then finds
// the data loaded.
export function warmUpDateTime() {
  try {
    new Intl.DateTimeFormat(navigator.language || undefined, DATE_TIME).format(0);
  } catch { /* dateTime() falls back on its own */ }
}

export function percent(part, whole) {
  return whole > 0 ? Math.round((100 * part) / whole) : 0;
}
