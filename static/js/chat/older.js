// Older messages of a long conversation: the page opens on the latest ones
// (chat/live/paths.py: path_page) and fetches the page before them each time
// the reader nears the top of the transcript.

import { gettext, interpolate } from "./i18n.js";
import { config } from "./page.js";
import * as transcript from "./transcript.js";

const list = document.getElementById("transcript");
const sentinel = document.createElement("li");
sentinel.className = "older-messages muted";
sentinel.textContent = gettext("Loading earlier messages…");

let hasOlder = config.hasOlder === "true";
let loading = false;
sentinel.hidden = !hasOlder;

// Well before the top, so the next page is usually there before it is reached.
const observer = new IntersectionObserver(
  function (entries) {
    if (entries.some((entry) => entry.isIntersecting)) loadOlder();
  },
  { root: list, rootMargin: "800px 0px 0px 0px" },
);

// Observed afresh, so a sentinel still in view (a short page) is seen again.
function watch() {
  observer.unobserve(sentinel);
  if (hasOlder) observer.observe(sentinel);
}

async function loadOlder() {
  const before = transcript.firstMessageId();
  if (loading || !hasOlder || before == null) return;
  loading = true;
  try {
    const response = await fetch(config.olderUrl + "?before=" + before, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    // A 404: another tab switched versions; the socket brings the new path.
    if (!response.ok) return;
    const page = await response.json();
    if (transcript.firstMessageId() !== before) return; // redrawn meanwhile
    if (transcript.prependMessages(page.messages)) setHasOlder(page.older);
  } catch {
    // Offline for a moment: scrolling up again tries again.
  } finally {
    loading = false;
  }
}

// Whether the path has messages above the first one drawn (a "path" event says so).
export function setHasOlder(value) {
  hasOlder = value;
  sentinel.hidden = !value;
  watch();
}

export function start() {
  list.prepend(sentinel);
  // From the next frame, once the view is at the end: not at the top it starts at.
  requestAnimationFrame(() => setHasOlder(hasOlder));
}
