// A comparison not picked yet: one <li> in the transcript holding a column per
// answer (side by side on a wide screen, tabs on a phone), each with its label,
// its figures, Stop while it streams and "This one" once every column is done;
// Tie, Both bad and an optional reason under them. transcript.js fills each
// column's message; the pick is sent over the socket, and the server answers
// with the path, the picked answer on it (chat/live/turns.py: pick).

import { gettext, interpolate } from "./i18n.js";
import { canPick, columnStats, continueNote, pickSentence } from "./columns.js";
import { showNotice } from "./notice.js";
import { send } from "./socket.js";

const items = new Map(); // comparison id -> its <li>

export function isUndecided(message) {
  return Boolean(message.comparison && !message.comparison.pick);
}

// The <li> of comparison `id`, if it is on the page.
export function itemOf(id) {
  const item = items.get(id);
  return item?.isConnected ? item : null;
}

// Stop stops every column when the answer streaming is a comparison's.
export function comparing() {
  return document.querySelector("#transcript > .comparison[data-status=streaming]") !== null;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text) node.textContent = text;
  return node;
}

function button(label, className, onClick) {
  const node = element("button", className, label);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

function ask(payload) {
  if (!send(payload)) showNotice(gettext("Not connected to the server; try again in a moment."));
}

function select(item, index) {
  item.querySelectorAll("[role=tab]").forEach((tab, i) => tab.setAttribute("aria-selected", String(i === index)));
  item.querySelectorAll(".column").forEach((column, i) => column.classList.toggle("selected", i === index));
}

function pick(item, comparison, outcome, message) {
  const reason = item.querySelector(".pick-reason").value.trim();
  const payload = { action: "pick", comparison: comparison.id, outcome: outcome, reason: reason };
  if (message != null) payload.message = message;
  ask(payload);
}

// The frame of the comparison's <li>: tabs, a column per answer, the pick bar.
export function frame(item, comparison) {
  items.set(comparison.id, item);
  item.className = "comparison";
  item.dataset.comparison = comparison.id;
  const tabs = element("div", "column-tabs");
  tabs.setAttribute("role", "tablist");
  tabs.setAttribute("aria-label", gettext("Answers to compare"));
  const columns = element("div", "columns");
  comparison.columns.forEach(function (column, index) {
    const tab = button(column.label, "column-tab", () => select(item, index));
    tab.id = "column-tab-" + column.id;
    tab.setAttribute("role", "tab");
    tab.setAttribute("aria-controls", "column-" + column.id);
    const panel = element("section", "column");
    panel.id = "column-" + column.id;
    panel.dataset.answer = column.id;
    panel.setAttribute("role", "tabpanel");
    panel.setAttribute("aria-labelledby", tab.id);
    const head = element("div", "column-head");
    head.append(element("h2", "column-label", column.label), element("span", "column-stats"));
    const actions = element("div", "column-actions");
    actions.append(
      button(gettext("Stop"), "link stop-column", () => ask({ action: "stop", message: column.id })),
      button(gettext("This one"), "pick-this", () => pick(item, comparison, "winner", column.id)),
    );
    const holder = element("div");
    holder.dataset.role = "message"; // transcript.js sets its class as a message's
    panel.append(head, holder, actions);
    tabs.append(tab);
    columns.append(panel);
  });
  const bar = element("div", "pick-bar");
  const reason = element("input", "pick-reason");
  reason.type = "text";
  reason.maxLength = 2000;
  reason.placeholder = gettext("Why? (optional)");
  reason.setAttribute("aria-label", gettext("Why you pick it (optional)"));
  bar.append(
    button(gettext("Tie"), "tie", () => pick(item, comparison, "tie")),
    button(gettext("Both bad"), "both-bad", () => pick(item, comparison, "both_bad")),
    reason,
  );
  item.append(tabs, columns, bar, element("p", "compare-note muted", continueNote(comparison)));
  select(item, 0);
}

// The element a column's message is drawn into.
export function columnOf(item, answerId) {
  return item.querySelector('.column[data-answer="' + answerId + '"] > [data-role=message]');
}

// After a column is drawn: its figures and buttons, and the <li>'s state (it
// streams while any column does).
export function update(item, message) {
  const panel = item.querySelector('.column[data-answer="' + message.id + '"]');
  if (!panel) return;
  panel.dataset.status = message.status;
  panel.querySelector(".column-stats").textContent = columnStats(message);
  panel.querySelector(".stop-column").hidden = message.status !== "streaming";
  const statuses = [...item.querySelectorAll(".column")].map((column) => column.dataset.status || "streaming");
  const ready = canPick(statuses);
  for (const control of item.querySelectorAll(".pick-this, .pick-bar button")) control.disabled = !ready;
  item.dataset.status = ready ? "complete" : "streaming";
  if (Number(item.dataset.messageId) === message.id) item.dataset.versions = message.versions.length;
}

// Over a picked comparison's answer: what was picked, the names shown now, and
// "Change your pick": every other choice, sent as a new pick (the server keeps
// the latest, no longer blind, and puts a new winner on the path).
export function pickNote(message) {
  const comparison = message.comparison;
  const current = comparison.pick;
  const box = element("div", "pick-box");
  const change = element("details", "change-pick");
  change.append(element("summary", "", gettext("Change your pick")));
  const choices = element("div", "change-pick-choices");
  choices.setAttribute("role", "group");
  choices.setAttribute("aria-label", gettext("Pick instead"));
  for (const column of comparison.columns) {
    if (current.outcome === "winner" && current.winner === column.id) continue;
    choices.append(button(column.label, "repick", () => repick(comparison, "winner", column.id)));
  }
  if (current.outcome !== "tie") choices.append(button(gettext("Tie"), "repick", () => repick(comparison, "tie")));
  if (current.outcome !== "both_bad") {
    choices.append(button(gettext("Both bad"), "repick", () => repick(comparison, "both_bad")));
  }
  change.append(choices);
  box.append(element("p", "pick-note muted", pickSentence(comparison)), change);
  return box;
}

function repick(comparison, outcome, message) {
  const payload = { action: "pick", comparison: comparison.id, outcome: outcome, reason: "" };
  if (message != null) payload.message = message;
  ask(payload);
}
