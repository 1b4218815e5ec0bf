// User-facing strings come from translations/<locale>.json (the package copies them to
// assets/i18n/). Keys are dotted paths; "{{name}}" placeholders are filled with plain text.

// One request per language for the page's lifetime: the app asks for the browser's language at
// start (while the Zendesk handshake is under way) and again for the agent's, usually the same.
const loaded = new Map();

export function loadStrings(locale) {
  const candidates = [];
  const lang = String(locale || '').split(/[-_]/)[0].toLowerCase();
  if (/^[a-z]{2}$/.test(lang) && lang !== 'en') candidates.push(lang);
  candidates.push('en');
  const key = candidates[0];
  if (loaded.has(key)) return loaded.get(key);
  const strings = (async () => {
    for (const name of candidates) {
      try {
        const response = await fetch(new URL(`i18n/${name}.json`, import.meta.url));
        if (response.ok) return await response.json();
      } catch { /* try the next locale */ }
    }
    return {};
  })();
  loaded.set(key, strings);
  return strings;
}

export function makeTranslator(strings) {
  return function t(key, values = {}) {
    let node = strings;
    for (const part of key.split('.')) node = node && typeof node === 'object' ? node[part] : undefined;
    if (typeof node !== 'string') return key;   // visible, so a missing string is noticed
    return node.replace(/\{\{(\w+)\}\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
  };
}
