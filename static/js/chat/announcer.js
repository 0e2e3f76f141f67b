// The page's one polite live region: what a screen reader hears of the
// conversation. Each answer is read once, when it ends (the transcript itself
// is not a live region, so a streaming batch is not read at all).

import { gettext, interpolate } from "./i18n.js";

const region = document.getElementById("announcer");
const announced = new Set(); // answer ids

const ENDINGS = { complete: gettext("Answer"), stopped: gettext("Answer, stopped"), error: gettext("Answer, failed") };

// `item` is the answer's <li>, drawn in its final state.
export function answerEnded(message, item) {
  if (announced.has(message.id)) return;
  announced.add(message.id);
  const words = [ENDINGS[message.status] ?? gettext("Answer")];
  for (const selector of [".body", ".problem"]) {
    const text = item.querySelector(selector)?.textContent.trim();
    if (text) words.push(text);
  }
  region.textContent = words.join(": ");
}

// Anything else a screen reader should hear once (a copy, an attachment).
export function say(text) {
  region.textContent = text;
}
