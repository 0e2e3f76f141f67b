// Catching up after the socket (re)opens: the page tells the server which
// finished messages it shows ("resume"), and the server answers with a "path"
// of what the page lacks (chat/live/consumer.py). Until its last part arrives,
// events about the transcript are older than it: those it covers (messages,
// answers and their ends, versions) are dropped, and the streaming text
// (tokens, images) is held and applied after it, so each shows once.
// No DOM here: main.js hands it the socket and the transcript, and Node's
// test runner checks it (tests/js/).

const COVERED = new Set(["message", "answer", "done", "error", "path"]);
const HELD = new Set(["token", "image"]);
// A socket that has not answered "resume" by then is taken for dead.
const ANSWER_MS = 15000;

// `send(frame)` sends on the socket, `reopen()` takes it for dead and opens
// another, `shown()` is what the transcript shows (transcript.shownMessages).
export function catchup({ send, reopen, shown }) {
  let held = null; // events waiting for the catch-up; null: not catching up
  let watchdog = null;

  return {
    // The socket opened, or the tab or network came back with it open.
    resume() {
      if (held === null) held = [];
      send({ action: "resume", shown: shown() });
      clearTimeout(watchdog);
      watchdog = setTimeout(reopen, ANSWER_MS);
    },

    closed() {
      held = null; // the next socket asks again; what this one held is stale
      clearTimeout(watchdog);
    },

    // The events to handle now, in order, for an event that just arrived.
    arrived(event) {
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
    },
  };
}
