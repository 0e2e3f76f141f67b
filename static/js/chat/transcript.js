// The transcript: one <li> per message, redrawn whole when the server sends
// the message, and the streaming answer's text grown token by token (what has
// arrived is kept by stream.js; the view follows the end with follow.js).

import * as comparison from "./comparison.js";
import * as crop from "./crop.js";
import { downloadsBar } from "./downloads.js";
import { editImage } from "./edit.js";
import { extractedFieldsNote, extractionView } from "./extraction.js";
import { feedbackBar } from "./feedback.js";
import { follower } from "./follow.js";
import { generatedImages } from "./generated.js";
import { renderMarkdown } from "./markdown.js";
import { imageStrip, leftOutText, metaLine, problemText } from "./render.js";
import { enrich } from "./rich.js";
import { send } from "./socket.js";
import { Streams } from "./stream.js";
import { controls } from "./versions.js";

const transcript = document.getElementById("transcript");
const emptyHint = document.getElementById("empty-hint");
const jumpButton = document.getElementById("jump-latest");

const messageElements = new Map(); // message id -> <li>
const columnElements = new Map(); // answer id -> its column, in a comparison not picked yet
const streams = new Streams();
const view = follower(transcript, jumpButton);
// The parent of the first message drawn: a long conversation opens on its
// latest messages, and older ones (chat/older.js) are drawn above as they come.
let shownAfter = null;

function newItem(message) {
  const item = document.createElement("li");
  item.dataset.messageId = message.id;
  item.id = "message-" + message.id; // "Your images" links to it
  return item;
}

function appendItem(message) {
  const item = newItem(message);
  // A new version or branch replaces whatever followed its parent.
  if (messageElements.size) truncateAfter(message.parent);
  if (!messageElements.size) shownAfter = message.parent;
  messageElements.set(message.id, item);
  transcript.append(item);
  emptyHint.hidden = true;
  return item;
}

export function drawMessage(message) {
  if (comparison.isUndecided(message)) return drawColumn(message);
  let item = messageElements.get(message.id);
  if (!item || item.dataset.comparison) item = appendItem(message);
  fill(item, message);
  return item;
}

// An answer of a comparison not picked yet: its column in the comparison's <li>
// (made by its first answer to arrive); a path brings the other columns with it.
function drawColumn(message) {
  let item = comparison.itemOf(message.comparison.id);
  if (!item) {
    item = appendItem(message);
    comparison.frame(item, message.comparison);
  }
  const column = comparison.columnOf(item, message.id);
  if (!column) return item;
  columnElements.set(message.id, column);
  fill(column, message, { bare: true });
  comparison.update(item, message);
  for (const other of message.comparison.answers || []) {
    if (other.status === "streaming") startAnswer(other.id, other.text);
    else endAnswer(other.id);
    drawColumn(wholeMessage(other));
  }
  return column;
}

// Older messages of the path, oldest first, ending with the parent of the
// first one drawn: drawn above it, the view kept where the reader had it.
// False (nothing drawn) when they no longer fit (the path changed meanwhile).
export function prependMessages(messages) {
  const first = transcript.querySelector(":scope > [data-message-id]");
  if (!first || !messages.length || messages.at(-1).id !== shownAfter) return false;
  const fromBottom = transcript.scrollHeight - transcript.scrollTop;
  const items = [];
  for (const message of messages) {
    if (messageElements.has(message.id)) continue;
    const item = newItem(message);
    messageElements.set(message.id, item);
    fill(item, message);
    items.push(item);
  }
  first.before(...items);
  shownAfter = messages[0].parent;
  transcript.scrollTop = transcript.scrollHeight - fromBottom;
  return true;
}

export function firstMessageId() {
  const first = transcript.querySelector(":scope > [data-message-id]");
  return first ? Number(first.dataset.messageId) : null;
}

// `bare`: a comparison's column, whose figures and buttons comparison.js draws.
function fill(item, message, { bare = false } = {}) {
  item.className = "message " + message.role + " " + message.status;
  item.dataset.status = message.status;
  item.dataset.versions = message.versions.length;
  item.replaceChildren();

  const images = message.images.length ? message.images : streams.imagesOf(message.id);
  if (images.length) item.append(drawnImages(images, message.role));
  const body = document.createElement("div");
  body.className = "body";
  if (message.role === "assistant" && message.status !== "streaming") {
    // Rendered from markdown and sanitized on the server (chat/markdown.py).
    body.innerHTML = message.html;
    enrich(body);
  } else if (message.role === "assistant") {
    showMarkdown(body, streams.text(message.id) ?? message.text);
    body.classList.add("streaming");
  } else {
    body.textContent = message.text;
    if (message.extract) body.append(extractedFieldsNote(message.extract));
  }
  // An image-only message is its images, with no empty bubble under them; an
  // extraction's answer is its table, the raw JSON inside it.
  if (message.extraction) item.append(extractionView(message.extraction));
  else if (body.textContent || message.status === "streaming") item.append(body);

  if (message.role === "assistant" && (message.dropped_turns || message.dropped_images)) {
    const note = document.createElement("p");
    note.className = "left-out";
    note.textContent = leftOutText(message);
    item.prepend(note);
  }

  if (message.role === "assistant") {
    const problem = problemText(message);
    if (problem) {
      const box = document.createElement("p");
      box.className = "problem";
      box.textContent = problem;
      item.append(box);
    }
    if (message.comparison?.pick) item.prepend(comparison.pickNote(message));
    if (message.status !== "streaming" && !bare) {
      const meta = document.createElement("div");
      meta.className = "meta";
      meta.textContent = metaLine(message);
      item.append(meta);
      if (message.tables && message.tables.length) item.append(downloadsBar(message.tables));
      item.append(feedbackBar(message));
    }
  }
  if (message.status !== "streaming" && !bare) item.append(controls(message));
}

// Remove the messages after `parentId` (all of them for null, or for the
// parent of the first one drawn).
function truncateAfter(parentId) {
  const all = parentId == null || parentId === shownAfter;
  const parent = all ? null : messageElements.get(parentId);
  if (!all && !parent) {
    location.reload(); // it follows a version this page does not show: start afresh
    return;
  }
  let last = transcript.lastElementChild;
  while (last?.dataset.messageId && last !== parent) {
    for (const column of last.querySelectorAll(".column")) columnElements.delete(Number(column.dataset.answer));
    messageElements.delete(Number(last.dataset.messageId));
    last.remove();
    last = transcript.lastElementChild;
  }
}

// A "path": the messages that follow `after` (null: from the first), in place
// of what the page shows after it (a switch of version, or a catch-up after a
// reconnect). Returns [message, <li>] of the answers that were streaming here
// and have ended.
export function drawPath(event) {
  truncateAfter(event.after ?? null);
  const ended = [];
  for (const part of event.messages) {
    const message = wholeMessage(part);
    let justEnded = false;
    if (message.status === "streaming") startAnswer(message.id, message.text);
    else justEnded = endAnswer(message.id);
    const item = drawMessage(message);
    if (justEnded) ended.push([message, item]);
  }
  emptyHint.hidden = messageElements.size > 0;
  return ended;
}

// [id, number of versions] of the finished messages on screen, first to last,
// up to the first that is not: what the server need not send again. The last
// SHOWN_AT_MOST of them do (the server matches them inside the path), so the
// "resume" frame stays far under the server's frame limit however long the
// conversation.
const SHOWN_AT_MOST = 2000;

export function shownMessages() {
  const shown = [];
  for (const item of transcript.querySelectorAll(":scope > [data-message-id]")) {
    if (item.dataset.status === "streaming") break;
    shown.push([Number(item.dataset.messageId), Number(item.dataset.versions)]);
  }
  return shown.slice(-SHOWN_AT_MOST);
}

// The answer streaming on screen, or null.
export function streamingAnswer() {
  const item = transcript.querySelector(":scope > [data-status=streaming]");
  return item ? Number(item.dataset.messageId) : null;
}

// The last message on screen: a new message builds on it.
export function lastMessageId() {
  const last = transcript.lastElementChild;
  return last?.dataset.messageId ? Number(last.dataset.messageId) : null;
}

// Where an answer is drawn: its column in a comparison, or its <li>.
function elementOf(id) {
  return columnElements.get(id) ?? messageElements.get(id);
}

function showMarkdown(body, text) {
  body.innerHTML = renderMarkdown(text);
  enrich(body);
}

// A streaming answer is rendered again at most once a frame, and less often
// when rendering it takes long (a very long answer), however fast tokens come.
const changed = new Set(); // streaming answer ids with text not drawn yet
let renderQueued = false;
let nextRender = 0;

function queueRender(id) {
  changed.add(id);
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(renderChanged);
}

function renderChanged(now) {
  if (now < nextRender) {
    requestAnimationFrame(renderChanged);
    return;
  }
  renderQueued = false;
  const started = performance.now();
  for (const id of changed) {
    const body = elementOf(id)?.querySelector(".body.streaming");
    if (body && streams.isStreaming(id)) showMarkdown(body, streams.text(id));
  }
  changed.clear();
  nextRender = performance.now() + 3 * (performance.now() - started);
  follow();
}

// Following the end as it grows (follow.js).
export const scrollToEnd = view.scrollToEnd;
export const follow = view.follow;
export const start = view.start;

// What has arrived of the streaming answers (stream.js).
export const startAnswer = (id, text) => streams.start(id, text);
export const endAnswer = (id) => streams.end(id);
export const addPart = (event) => streams.addPart(event);
export const wholeMessage = (message) => streams.whole(message);

// Tokens: append in order, ignore repeats, resync on a gap.
export function applyToken(event) {
  const result = streams.applyToken(event);
  if (result === "gap") send({ action: "sync" });
  else if (result === "added") queueRender(event.message);
}

// An image model's picture arrives while the answer streams: show it at once.
export function addAnswerImage(event) {
  const images = streams.addImage(event);
  if (!images) return; // a resync repeats them
  const item = elementOf(event.message);
  if (!item) return;
  const strip = item.querySelector(".generated");
  if (strip) strip.replaceWith(drawnImages(images, "assistant"));
  else item.prepend(drawnImages(images, "assistant"));
}

// The user's images as thumbnails (zoom into a region, edit); an answer's large.
function drawnImages(images, role) {
  return role === "user" ? imageStrip(images, crop.open, editImage) : generatedImages(images);
}
