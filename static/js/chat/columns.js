// What a comparison's columns say, from their messages alone (no DOM, so Node
// can test it): each column's figures, whether a pick can be made, what the
// next message continues from, and the sentence a pick leaves.

import { gettext, interpolate, pageLanguage } from "./i18n.js";

function seconds(ms) {
  return (ms / 1000).toLocaleString(pageLanguage(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

// "312 in · 85 out · first token 0.42 s · total 1.90 s · $0.0016"
export function columnStats(message) {
  const parts = [];
  if (message.prompt_tokens != null) parts.push(interpolate(gettext("%(count)s in"), { count: message.prompt_tokens }));
  if (message.completion_tokens != null) parts.push(interpolate(gettext("%(count)s out"), { count: message.completion_tokens }));
  if (message.first_token_ms != null) {
    parts.push(interpolate(gettext("first token %(seconds)s s"), { seconds: seconds(message.first_token_ms) }));
  }
  if (message.total_ms != null) parts.push(interpolate(gettext("total %(seconds)s s"), { seconds: seconds(message.total_ms) }));
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
  return interpolate(gettext("Not picked yet: your next message continues from %(model)s’s answer (the first column)."), { model: first });
}

function list(names) {
  if (names.length < 2) return names.join("");
  return interpolate(gettext("%(names)s and %(last)s"), { names: names.slice(0, -1).join(gettext(", ")), last: names.at(-1) });
}

// The line over a picked comparison's answer, the names shown now.
export function pickSentence(comparison) {
  const pick = comparison.pick;
  const names = comparison.columns.map((column) => column.label);
  if (pick.outcome === "winner") {
    const winner = comparison.columns.find((column) => column.id === pick.winner);
    const others = list(names.filter((name) => name !== winner?.label));
    const format = winner
      ? (pick.blind ? gettext("You picked %(winner)s over %(others)s (blind).") : gettext("You picked %(winner)s over %(others)s."))
      : (pick.blind ? gettext("You picked an answer over %(others)s (blind).") : gettext("You picked an answer over %(others)s."));
    return interpolate(format, { winner: winner?.label, others: others });
  }
  if (pick.outcome === "tie") {
    return interpolate(pick.blind ? gettext("A tie between %(names)s (blind).") : gettext("A tie between %(names)s."), { names: list(names) });
  }
  return interpolate(pick.blind ? gettext("Both bad: %(names)s (blind).") : gettext("Both bad: %(names)s."), { names: list(names) });
}
