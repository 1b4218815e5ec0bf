'use strict';
// Sunshine cursor pagination [SPEC]: page[after] / page[before] are 24-character record ids (only
// one of them), page[size] is 1–100 (default 25). Ids sort by creation, so a cursor is compared as
// a string, which also tolerates a cursor whose record has since been deleted.
const { badRequest } = require('../http-util');

const invalidPage = () => badRequest('Invalid page query parameters');

function readPage(query, { fixedSize } = {}) {
  const page = query.page === undefined ? {} : query.page;
  if (typeof page !== 'object') return { error: invalidPage() };
  const { after, before, size } = page;
  if (after !== undefined && before !== undefined) return { error: invalidPage() };
  for (const cursor of [after, before]) {
    if (cursor !== undefined && cursor.length !== 24) return { error: invalidPage() };
  }
  let pageSize = 25;
  if (size !== undefined) {
    if (!/^\d+$/.test(size) || Number(size) < 1 || Number(size) > 100) return { error: invalidPage() };
    pageSize = Number(size);
  }
  // List Messages ignores page[size]: its page is always 100 [SPEC].
  if (fixedSize) pageSize = fixedSize;
  return { after, before, size: pageSize };
}

// records: sorted oldest first. backwards=true: without a cursor, the newest page (List Messages).
function slicePage(records, { after, before, size }, { backwards = false } = {}) {
  let items;
  let hasMore;
  let hasEarlier;
  let hasLater;
  if (after !== undefined) {
    const later = records.filter((r) => r.id > after);
    items = later.slice(0, size);
    hasLater = later.length > size;
    hasEarlier = records.some((r) => r.id <= after);
    hasMore = hasLater;
  } else if (before !== undefined || backwards) {
    const earlier = before === undefined ? records : records.filter((r) => r.id < before);
    items = earlier.slice(Math.max(0, earlier.length - size));
    hasEarlier = earlier.length > size;
    hasLater = before !== undefined && records.some((r) => r.id >= before);
    hasMore = hasEarlier;
  } else {
    items = records.slice(0, size);
    hasLater = records.length > size;
    hasEarlier = false;
    hasMore = hasLater;
  }
  const meta = { hasMore };
  if (hasLater && items.length) meta.afterCursor = items[items.length - 1].id;
  if (hasEarlier && items.length) meta.beforeCursor = items[0].id;
  return { items, meta };
}

function pageLinks(baseUrl, path, meta, extraQuery = '') {
  const links = {};
  const prefix = `${baseUrl}${path}?${extraQuery ? `${extraQuery}&` : ''}`;
  if (meta.beforeCursor) links.prev = `${prefix}page[before]=${meta.beforeCursor}`;
  if (meta.afterCursor) links.next = `${prefix}page[after]=${meta.afterCursor}`;
  return links;
}

module.exports = { readPage, slicePage, pageLinks };
