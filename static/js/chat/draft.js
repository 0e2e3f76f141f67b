// The unsent message of a conversation, kept in the browser's localStorage so
// that a reload or a closed tab loses nothing: the text, and the images
// already uploaded (their ids with what the server said of them, so their
// previews come back), and the fields of "Extract these fields…" if listed. Keyed by user and conversation; removed once the
// message is stored. A new conversation is a conversation too, so its draft
// is kept the same way. Logging out forgets every draft of the browser, so
// none is left on a shared computer.

import { config } from "./page.js";

const key = "tokengate-draft:" + config.user + ":" + config.code;

// {text, images: [{payload, detail}], fields: [{name, type}] or null}, or null.
export function load() {
  try {
    const draft = JSON.parse(localStorage.getItem(key));
    if (!draft || typeof draft.text !== "string" || !Array.isArray(draft.images)) return null;
    return draft;
  } catch {
    return null; // storage off, or not ours to read
  }
}

export function save(text, images, fields = null) {
  try {
    if (!text && !images.length && !fields) localStorage.removeItem(key);
    else localStorage.setItem(key, JSON.stringify({ text: text, images: images, fields: fields }));
  } catch {
    // Storage full or refused: the draft lives only in the page, as before.
  }
}

export function clear() {
  save("", []);
}

export function forgetAll() {
  try {
    for (const name of Object.keys(localStorage)) if (name.startsWith("tokengate-draft:")) localStorage.removeItem(name);
  } catch {
    // storage off: nothing was kept
  }
}
