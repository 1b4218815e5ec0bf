// DOM building without HTML parsing: every piece of caller, transcript or summary text becomes a
// text node, so nothing a caller said (or an attacker wrote) can ever run as markup.

export function h(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = String(value);
    else if (name === 'class') node.className = value;
    else if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of [].concat(children)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

// Links only for the schemes the sidebar means to offer. The core already drops anything that is
// not http(s) from the call; this is the last gate before an href reaches the DOM.
const SAFE_LINK = /^(https?:\/\/|mailto:|sms:|tel:)/i;

export function link(href, text, attributes = {}) {
  if (typeof href !== 'string' || !SAFE_LINK.test(href)) return h('span', { text });
  const external = /^https?:/i.test(href);
  return h('a', {
    href, text, ...attributes,
    target: external ? '_blank' : undefined,
    rel: external ? 'noopener noreferrer' : undefined,
  });
}

// Replaces the element's content with `text`, wrapping case-insensitive matches of `query` in
// <mark> elements. Returns the marks created.
export function highlight(element, text, query) {
  if (!query) {
    element.textContent = text;
    return [];
  }
  // Case folding that changes a string's length (rare scripts) would shift the indexes: match
  // case-sensitively then.
  const folds = text.toLowerCase().length === text.length && query.toLowerCase().length === query.length;
  const haystack = folds ? text.toLowerCase() : text;
  const needle = folds ? query.toLowerCase() : query;
  const marks = [];
  const parts = [];
  let from = 0;
  for (let at = haystack.indexOf(needle); at !== -1 && needle; at = haystack.indexOf(needle, from)) {
    if (at > from) parts.push(document.createTextNode(text.slice(from, at)));
    const mark = h('mark', { text: text.slice(at, at + needle.length) });
    marks.push(mark);
    parts.push(mark);
    from = at + needle.length;
  }
  if (from < text.length) parts.push(document.createTextNode(text.slice(from)));
  element.replaceChildren(...parts);
  return marks;
}
