// Catching up after the socket (re)opens: the page tells the server which
// finished messages it shows ("resume"), and the server answers with a "path"
// of what the page lacks (chat/live/consumer.py). Until its last part arrives,
// events about the transcript are older than it: those it covers (messages,
// answers and their ends, versions) are dropped, and the streaming text
// (tokens, images) is held and applied after it, so each shows once.

import { reopen, send } from "./socket.js";
import { shownMessages } from "./transcript.js";

const COVERED = new Set(["message", "answer", "done", "error", "path"]);
const HELD = new Set(["token", "image"]);
// A socket that has not answered "resume" by then is taken for dead.
const ANSWER_MS = 15000;

let held = null; // events waiting for the catch-up; null: not catching up
let watchdog = null;

// The socket opened, or the tab or network came back with it open.
export function resume() {
  if (held === null) held = [];
  send({ action: "resume", shown: shownMessages() });
  clearTimeout(watchdog);
  watchdog = setTimeout(reopen, ANSWER_MS);
}

export function closed() {
  held = null; // the next socket asks again; what this one held is stale
  clearTimeout(watchdog);
}

// The events to handle now, in order, for an event that just arrived.
export function arrived(event) {
  if (held === null) return [event];
  if (event.type === "path" && event.resume) {
    if (event.more) return [event];
    const later = held;
    held = null;
    clearTimeout(watchdog);
    return [event, ...later];
  }
  // A refusal of our own "send" (no "message") is not covered by the path.
  if (COVERED.has(event.type) && !(event.type === "error" && !event.message)) return [];
  if (HELD.has(event.type)) {
    held.push(event);
    return [];
  }
  return [event];
}
