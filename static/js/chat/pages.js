// A document's pages as the page picker chooses them: ranges typed as
// "1-3, 7", the default choice, and the sentences the picker shows. No DOM
// here, so Node's test runner checks it (tests/js/pages.test.mjs).

import { formatNumber, gettext, interpolate, ngettext } from "./i18n.js";

// [1, 2, 3, 7] for the text "1-3, 7" for a document of `count` pages, or
// {error: sentence} when the text is not a list of pages and ranges.
export function parseRanges(text, count) {
  const chosen = new Set();
  for (const part of text.split(",").map((p) => p.trim()).filter(Boolean)) {
    const match = /^(\d+)\s*(?:[-–]\s*(\d+))?$/.exec(part);
    if (!match) return { error: interpolate(gettext("“%(part)s” is not a page or a range like 1-3."), { part: part }) };
    const first = Number(match[1]);
    const last = match[2] === undefined ? first : Number(match[2]);
    if (first < 1 || last < first) return { error: interpolate(gettext("“%(part)s” is not a range of pages."), { part: part }) };
    if (last > count) {
      return { error: interpolate(gettext("This document has %(count)s pages; “%(part)s” goes past them."), { count: count, part: part }) };
    }
    for (let page = first; page <= last; page++) chosen.add(page);
  }
  return [...chosen].sort((a, b) => a - b);
}

// "1-3, 7" for [1, 2, 3, 7].
export function formatRanges(pages) {
  const sorted = [...pages].sort((a, b) => a - b);
  const parts = [];
  for (let i = 0; i < sorted.length; i++) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j > i ? sorted[i] + "-" + sorted[j] : String(sorted[i]));
    i = j;
  }
  return parts.join(", ");
}

// Every page, up to the room a message has for images.
export function defaultPages(count, room) {
  return Array.from({ length: Math.min(count, Math.max(0, room)) }, (_, i) => i + 1);
}

// The sentence under a document's tile when it has more pages than are
// chosen by default, or "".
export function moreThanRoom(count, room) {
  if (count <= room) return "";
  return interpolate(
    gettext("A message carries at most %(room)s images, so pages 1-%(room)s of %(count)s are chosen; choose others in Pages, or use a run to go through every page."),
    { room: room, count: count },
  );
}

// "3 of 12 pages · ≈ 2,295 input tokens" for the chosen pages.
export function selectionSummary(chosen, count, tokensOf) {
  const total = chosen.reduce((sum, page) => sum + (tokensOf(page) || 0), 0);
  const pages = interpolate(ngettext("%(chosen)s of %(count)s page", "%(chosen)s of %(count)s pages", count), {
    chosen: chosen.length, count: count,
  });
  if (!total) return pages;
  return pages + " · " + interpolate(gettext("≈ %(count)s input tokens"), { count: formatNumber(total) });
}
