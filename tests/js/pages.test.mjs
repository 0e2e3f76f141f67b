import assert from "node:assert/strict";
import { test } from "node:test";

import { defaultPages, formatRanges, moreThanRoom, parseRanges, selectionSummary } from "../../static/js/chat/pages.js";

test("parseRanges reads pages and ranges, in order, once each", () => {
  assert.deepEqual(parseRanges("1-3, 7", 12), [1, 2, 3, 7]);
  assert.deepEqual(parseRanges("7, 1–2, 2", 12), [1, 2, 7]);
  assert.deepEqual(parseRanges(" ", 12), []);
});

test("parseRanges says what is wrong with a range", () => {
  assert.deepEqual(parseRanges("1-3, x", 12), { error: "“x” is not a page or a range like 1-3." });
  assert.deepEqual(parseRanges("5-2", 12), { error: "“5-2” is not a range of pages." });
  assert.deepEqual(parseRanges("0", 12), { error: "“0” is not a range of pages." });
  assert.deepEqual(parseRanges("10-14", 12), { error: "This document has 12 pages; “10-14” goes past them." });
});

test("formatRanges writes what parseRanges reads", () => {
  assert.equal(formatRanges([7, 1, 2, 3]), "1-3, 7");
  assert.equal(formatRanges([1, 3, 5]), "1, 3, 5");
  assert.deepEqual(parseRanges(formatRanges([2, 3, 4, 9, 11, 12]), 12), [2, 3, 4, 9, 11, 12]);
});

test("every page is chosen by default, up to the room in a message", () => {
  assert.deepEqual(defaultPages(3, 10), [1, 2, 3]);
  assert.deepEqual(defaultPages(12, 10), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.deepEqual(defaultPages(12, 0), []);
  assert.equal(moreThanRoom(3, 10), "");
  assert.match(moreThanRoom(12, 10), /^A message carries at most 10 images, so pages 1-10 of 12 are chosen/);
});

test("selectionSummary adds the chosen pages' tokens", () => {
  const tokens = { 1: 765, 2: 765, 3: 1105 };
  assert.equal(selectionSummary([1, 3], 3, (p) => tokens[p]), "2 of 3 pages · ≈ 1,870 input tokens");
  assert.equal(selectionSummary([1], 1, () => undefined), "1 of 1 page");
});
