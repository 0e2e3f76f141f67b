// The composer: the message box, Send and Stop. It knows whether an answer is
// streaming and whether our "send" still waits for the server's echo, and
// keeps what is typed and attached as a draft until it is sent.

import { gettext } from "./i18n.js";
import * as attachments from "./attachments.js";
import * as comparePicker from "./comparepicker.js";
import { comparing } from "./comparison.js";
import * as draft from "./draft.js";
import * as extractFields from "./extractfields.js";
import { showNotice } from "./notice.js";
import * as quickActions from "./quickactions.js";
import { send } from "./socket.js";
import { lastMessageId, streamingAnswer as streamingOnScreen } from "./transcript.js";

const composer = document.getElementById("composer");
const textBox = document.getElementById("message-text");
const modelPicker = document.getElementById("model");
const sendButton = document.getElementById("send");
const stopButton = document.getElementById("stop");

let streamingAnswer = null;
let awaitingEcho = false; // our "send" is in flight: clear the composer when it is stored
let sentText = null; // what that "send" carried

export function setStreaming(answerId) {
  streamingAnswer = answerId;
  stopButton.hidden = answerId === null;
  sendButton.hidden = answerId !== null;
}

export function answerEnded(answerId) {
  // A comparison's other columns may still stream.
  if (streamingAnswer === answerId) setStreaming(streamingOnScreen());
}

// A message was stored: if it is the one we sent, the composer is done with it
// (and says so).
export function messageStored() {
  if (!awaitingEcho) return false;
  clear();
  return true;
}

// A user message arrived in a catch-up after a reconnect: if it is the one we
// sent before the drop, the composer is done with it.
export function caughtUp(message) {
  if (awaitingEcho && message.role === "user" && message.text === sentText) clear();
}

// The catch-up is complete: a "send" still unanswered was lost with the socket.
export function resumed() {
  if (!awaitingEcho) return;
  awaitingEcho = false;
  updateSendState();
  showNotice(gettext("The connection dropped before your message reached the server; it is kept here: send it again."));
}

// Esc: stop the streaming answer, if there is one. True if there was.
export function stop() {
  if (streamingAnswer === null) return false;
  // Every column of a comparison at once; one column has its own Stop.
  const payload = comparing() ? { action: "stop" } : { action: "stop", message: streamingAnswer };
  if (!send(payload)) {
    showNotice(gettext("Not connected to the server: the answer cannot be stopped until it reconnects."));
  }
  return true;
}

export function focus() {
  textBox.focus();
}

// The server refused our "send": keep what was typed, say why.
export function sendRefused(error) {
  awaitingEcho = false;
  sendButton.disabled = false;
  showNotice(error);
}

function updateSendState() {
  sendButton.disabled = awaitingEcho || attachments.isUploading();
  quickActions.update(attachments.readyImages().length);
}

function clear() {
  awaitingEcho = false;
  textBox.value = "";
  autosize();
  attachments.clear();
  extractFields.close();
  updateSendState();
  draft.clear();
}

function saveDraft() {
  draft.save(textBox.value, attachments.draftImages(), extractFields.draft());
}

function restoreDraft() {
  const saved = draft.load();
  if (!saved) return;
  textBox.value = saved.text;
  autosize();
  attachments.restore(saved.images);
  extractFields.restore(saved.fields);
}

function submit() {
  if (attachments.isUploading()) return;
  const images = attachments.readyImages();
  const text = textBox.value.trim();
  if (!text && !images.length) {
    showNotice(gettext("Write a message or attach an image."));
    return;
  }
  if (streamingAnswer !== null) {
    showNotice(gettext("The previous answer is still streaming: wait for it or stop it first."));
    return;
  }
  const refusal = comparePicker.refusal();
  if (refusal) {
    showNotice(refusal);
    return;
  }
  // The message follows the version on screen.
  const payload = { action: "send", text: text, model: modelPicker.value, images: images };
  const models = comparePicker.models();
  if (models) Object.assign(payload, { models: models, blind: comparePicker.blind() });
  const parent = lastMessageId();
  if (parent !== null) payload.parent = parent;
  const extract = extractFields.request();
  if (extract && !models) payload.extract = extract;
  const sent = send(payload);
  if (!sent) {
    showNotice(gettext("Not connected to the server; your message is kept here. Reconnecting…"));
    return;
  }
  showNotice("");
  awaitingEcho = true;
  sentText = text;
  updateSendState();
}

function autosize() {
  textBox.style.height = "auto";
  textBox.style.height = textBox.scrollHeight + "px";
}

export function start() {
  attachments.start(function () {
    updateSendState();
    saveDraft();
  });
  extractFields.start(saveDraft);
  restoreDraft();
  comparePicker.start();
  document.getElementById("logout-form").addEventListener("submit", draft.forgetAll);

  composer.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });

  // Enter sends; Shift+Enter (or an IME composing) makes a new line.
  textBox.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  textBox.addEventListener("input", function () {
    autosize();
    saveDraft();
  });

  stopButton.addEventListener("click", stop);

  textBox.focus();
}
