// Versions and branches on a drawn message: "‹ 2 / 3 ›" to switch, Regenerate
// (same model or another), Retry after a failure, Edit a user message, and
// Copy an answer's Markdown. The server keeps every version (chat/models.py)
// and tells every socket where each new message hangs.

import { gettext, interpolate } from "./i18n.js";
import { showNotice } from "./notice.js";
import { send } from "./socket.js";
import * as editor from "./editor.js";

const modelPicker = document.getElementById("model");
const modelChoices = JSON.parse(document.getElementById("model-choices").textContent);

function button(label, className, onClick, title) {
  const element = document.createElement("button");
  element.type = "button";
  element.className = className;
  element.textContent = label;
  if (title) element.title = title;
  if (title && label.length === 1) element.setAttribute("aria-label", title); // "‹" says little
  element.addEventListener("click", onClick);
  return element;
}

function ask(payload) {
  if (!send(payload)) showNotice(gettext("Not connected to the server; try again in a moment."));
}

// "‹ 2 / 3 ›": the versions of this message, each with the model that made it.
function switcher(message) {
  const versions = message.versions || [];
  const index = versions.findIndex((v) => v.id === message.id);
  const nav = document.createElement("span");
  nav.className = "versions";
  const go = (offset) => () => ask({ action: "switch", message: versions[index + offset].id });
  const previous = button("‹", "icon version-previous", go(-1), gettext("Previous version"));
  const next = button("›", "icon version-next", go(1), gettext("Next version"));
  previous.disabled = index <= 0;
  next.disabled = index >= versions.length - 1;
  const label = document.createElement("span");
  label.className = "version-label";
  label.textContent = index + 1 + " / " + versions.length;
  label.title = versions.map((v, i) => i + 1 + ": " + (v.model || "")).join(", ");
  nav.append(previous, label, next);
  return nav;
}

function copyButton(message) {
  const copy = button(gettext("Copy"), "link copy-answer", async function () {
    try {
      await navigator.clipboard.writeText(message.text);
      copy.textContent = gettext("Copied");
    } catch {
      copy.textContent = gettext("Copy failed");
    }
    setTimeout(() => (copy.textContent = gettext("Copy")), 1500);
  }, gettext("Copy the answer as Markdown"));
  return copy;
}

function regenerateControls(message) {
  const failed = message.status === "error" || message.status === "stopped";
  const again = button(failed ? gettext("Retry") : gettext("Regenerate"), "link regenerate", function () {
    ask({ action: "regenerate", message: message.id, model: message.model || modelPicker.value });
  }, failed ? gettext("Ask again: the same message and images") : gettext("A new version of this answer"));
  const other = document.createElement("select");
  other.className = "regenerate-model";
  other.setAttribute("aria-label", gettext("Regenerate with another model"));
  other.add(new Option(gettext("Try another model…"), ""));
  for (const [id, label] of modelChoices) if (id !== message.model) other.add(new Option(label, id));
  other.addEventListener("change", function () {
    if (other.value) ask({ action: "regenerate", message: message.id, model: other.value });
    other.value = "";
  });
  return [again, other];
}

// The row of controls under a finished message.
export function controls(message) {
  const row = document.createElement("div");
  row.className = "message-actions";
  if ((message.versions || []).length > 1) row.append(switcher(message));
  if (message.role === "assistant") {
    if (message.status === "streaming") return row;
    if (message.text) row.append(copyButton(message));
    row.append(...regenerateControls(message));
  } else if (message.role === "user") {
    row.append(button(gettext("Edit"), "link edit-message", () => editor.open(message), gettext("Edit and send again")));
  }
  return row;
}
