// What a comparison's columns say, from their messages alone (no DOM, so Node
// can test it): each column's figures, whether a pick can be made, what the
// next message continues from, and the sentence a pick leaves.

function seconds(ms) {
  return (ms / 1000).toFixed(2) + " s";
}

// "312 in · 85 out · first token 0.42 s · total 1.90 s · $0.0016"
export function columnStats(message) {
  const parts = [];
  if (message.prompt_tokens != null) parts.push(message.prompt_tokens + " in");
  if (message.completion_tokens != null) parts.push(message.completion_tokens + " out");
  if (message.first_token_ms != null) parts.push("first token " + seconds(message.first_token_ms));
  if (message.total_ms != null) parts.push("total " + seconds(message.total_ms));
  if (message.cost != null) parts.push("$" + costText(message.cost));
  return parts.join(" · ");
}

// Four significant digits under a cent, cents above.
export function costText(dollars) {
  return dollars >= 0.01 ? dollars.toFixed(2) : Number(dollars.toPrecision(2)).toString();
}

// A pick waits until no column streams.
export function canPick(statuses) {
  return statuses.length > 0 && statuses.every((status) => status !== "streaming");
}

// Said before the next message is sent, while nothing is picked.
export function continueNote(comparison) {
  const first = comparison.columns[0].label;
  return `Not picked yet: your next message continues from ${first}’s answer (the first column).`;
}

function list(names) {
  return names.length < 3 ? names.join(" and ") : names.slice(0, -1).join(", ") + " and " + names.at(-1);
}

// The line over a picked comparison's answer, the names shown now.
export function pickSentence(comparison) {
  const pick = comparison.pick;
  const names = comparison.columns.map((column) => column.label);
  const blind = pick.blind ? " (blind)" : "";
  if (pick.outcome === "winner") {
    const winner = comparison.columns.find((column) => column.id === pick.winner);
    const others = names.filter((name) => name !== winner?.label);
    return "You picked " + (winner ? winner.label : "an answer") + " over " + list(others) + blind + ".";
  }
  if (pick.outcome === "tie") return "A tie between " + list(names) + blind + ".";
  return "Both bad: " + list(names) + blind + ".";
}
