import assert from "node:assert/strict";
import { test } from "node:test";

import { canPick, columnStats, continueNote, costText, pickSentence } from "../../static/js/chat/columns.js";

const columns = [{ id: 1, label: "gpt-4o" }, { id: 2, label: "gemini-2.5-pro" }, { id: 3, label: "gemini-2.5-flash-image" }];

test("columnStats gives tokens in and out, both times and the cost when known", () => {
  const message = { prompt_tokens: 312, completion_tokens: 85, first_token_ms: 420, total_ms: 1900, cost: 0.00163 };
  assert.equal(columnStats(message), "312 in · 85 out · first token 0.42 s · total 1.90 s · $0.0016");
  assert.equal(columnStats({ prompt_tokens: null, completion_tokens: null, first_token_ms: 5, total_ms: null }), "first token 0.01 s");
});

test("costText keeps two significant digits under a cent, cents above", () => {
  assert.equal(costText(0.000123), "0.00012");
  assert.equal(costText(0.5), "0.50");
});

test("canPick waits for every column", () => {
  assert.equal(canPick(["complete", "streaming"]), false);
  assert.equal(canPick(["complete", "stopped", "error"]), true);
  assert.equal(canPick([]), false);
});

test("continueNote names the first column", () => {
  assert.equal(continueNote({ columns: [{ id: 1, label: "Model A" }, { id: 2, label: "Model B" }] }),
    "Not picked yet: your next message continues from Model A’s answer (the first column).");
});

test("pickSentence says what was picked, a tie or both bad", () => {
  assert.equal(pickSentence({ columns, pick: { outcome: "winner", winner: 2, blind: true } }),
    "You picked gemini-2.5-pro over gpt-4o and gemini-2.5-flash-image (blind).");
  assert.equal(pickSentence({ columns: columns.slice(0, 2), pick: { outcome: "tie", winner: null, blind: false } }),
    "A tie between gpt-4o and gemini-2.5-pro.");
  assert.equal(pickSentence({ columns, pick: { outcome: "both_bad", winner: null, blind: false } }),
    "Both bad: gpt-4o, gemini-2.5-pro and gemini-2.5-flash-image.");
});
