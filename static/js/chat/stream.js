// What has arrived of the answers streaming on the page: their text so far
// (tokens carry their offset: appended in order, repeats ignored, a gap asks
// for a resync), the images they generated so far, and the parts of a final
// message too big for one websocket message. No DOM here: transcript.js
// draws it, and Node's test runner checks it (tests/js/).

export class Streams {
  constructor() {
    this.texts = new Map(); // streaming answer id -> text so far
    this.images = new Map(); // streaming answer id -> images it generated so far
    this.parts = new Map(); // answer id -> {text, html} of its final message
  }

  // An answer streams with `text` already arrived (empty when it is new; as
  // stored, after a reconnect: its text only grows, so the longer one is right).
  start(id, text) {
    if (!this.texts.has(id) || text.length > this.texts.get(id).length) this.texts.set(id, text);
  }

  // The answer is stored: from now on its message carries everything. True if
  // it was streaming here.
  end(id) {
    this.images.delete(id);
    return this.texts.delete(id);
  }

  isStreaming(id) {
    return this.texts.has(id);
  }

  text(id) {
    return this.texts.get(id);
  }

  // A "token" event: "added" (the text grew), "gap" (tokens were missed: ask
  // the server to sync) or null (nothing new, or the answer ended here).
  applyToken(event) {
    if (!this.texts.has(event.message)) return null;
    const current = this.texts.get(event.message);
    const grown = grow(current, event.offset, event.text);
    if (grown === null) return "gap";
    if (grown === current) return null;
    this.texts.set(event.message, grown);
    return "added";
  }

  // An "image" event: the answer's images so far, or null for a repeat.
  addImage(event) {
    const images = this.images.get(event.message) ?? [];
    if (images.some((image) => image.id === event.image.id)) return null; // a resync repeats them
    images.push(event.image);
    this.images.set(event.message, images);
    return images;
  }

  imagesOf(id) {
    return this.images.get(id) ?? [];
  }

  // A "part" event: a final message's text or HTML, in order, before its
  // "done" or "error" (which says how long they are).
  addPart(event) {
    const parts = this.parts.get(event.message) ?? { text: "", html: "" };
    if (event.offset === parts[event.field].length) parts[event.field] += event.text;
    this.parts.set(event.message, parts);
  }

  // The message with the parts that came before it, if it was sent in parts.
  whole(message) {
    if (!message.parts) return message;
    const parts = this.parts.get(message.id) ?? { text: "", html: "" };
    this.parts.delete(message.id);
    return { ...message, text: parts.text, html: parts.html };
  }
}

// `current` with `text` (which starts at `offset`) appended where it goes:
// unchanged when `text` holds nothing new, null when `text` starts past the
// end (something between was missed).
export function grow(current, offset, text) {
  if (offset > current.length) return null;
  if (offset + text.length <= current.length) return current;
  return current + text.slice(current.length - offset);
}
