// The list of conversations beside the transcript: a page at a time as the
// person scrolls, under Today / Previous 7 days / Older, kept in order of
// latest activity by the server's "conversation" events; search on the
// server; rename in place; delete after a confirmation.

import { gettext, interpolate } from "./i18n.js";
import { postForm } from "./page.js";

const title = document.getElementById("conversation-title");
const sidebar = document.querySelector(".sidebar");
const list = document.querySelector(".conversation-list");
const more = document.getElementById("conversation-list-more");
const search = document.getElementById("conversation-search");
const dialog = document.getElementById("delete-dialog");
const listUrl = sidebar.dataset.listUrl;
const GROUPS = ["Today", "Previous 7 days", "Older"]; // as the server names them (chat/live/payloads.py)
const GROUP_NAMES = { Today: gettext("Today"), "Previous 7 days": gettext("Previous 7 days"), Older: gettext("Older") };

let next = null; // the cursor of the next page; null: all loaded
let query = "";
let loading = false;

// The stored title, in the header and the tab, as a reload would show it.
function showTitle(text) {
  title.textContent = text;
  document.title = document.title.replace(/^.*( · [^·]+)$/, (_, site) => text + site);
}

function currentCode() {
  return document.getElementById("conversation").dataset.code;
}

function section(group) {
  let heading = list.querySelector(`[data-group="${group}"]`);
  if (heading) return heading;
  heading = document.createElement("section");
  heading.dataset.group = group;
  heading.className = "conversation-group";
  const label = document.createElement("h2");
  label.textContent = GROUP_NAMES[group] ?? group;
  const items = document.createElement("ul");
  heading.append(label, items);
  // Keep the groups in their order whatever arrives first.
  const later = [...list.querySelectorAll("section[data-group]")].find(
    (s) => GROUPS.indexOf(s.dataset.group) > GROUPS.indexOf(group),
  );
  list.insertBefore(heading, later || more);
  return heading;
}

function itemFor(conversation) {
  const item = document.createElement("li");
  item.className = "conversation-item";
  item.dataset.code = conversation.code;
  const link = document.createElement("a");
  link.href = conversation.url;
  link.textContent = conversation.title;
  if (conversation.compared) {
    // What its latest comparison of models was: the models and the pick.
    const note = document.createElement("span");
    note.className = "conversation-compared";
    note.textContent = conversation.compared;
    link.append(note);
  }
  if (conversation.code === currentCode()) link.setAttribute("aria-current", "page");
  const rename = document.createElement("button");
  rename.type = "button";
  rename.className = "icon rename-conversation";
  rename.textContent = "✎";
  rename.title = rename.ariaLabel = interpolate(gettext("Rename %(title)s"), { title: conversation.title });
  rename.addEventListener("click", () => startRename(item, conversation));
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "icon delete-conversation";
  remove.textContent = "🗑";
  remove.title = remove.ariaLabel = interpolate(gettext("Delete %(title)s"), { title: conversation.title });
  remove.addEventListener("click", () => confirmDelete(conversation));
  item.append(link, rename, remove);
  return item;
}

function dropEmptyGroups() {
  for (const group of list.querySelectorAll("section[data-group]")) {
    if (!group.querySelector("li")) group.remove();
  }
  list.querySelector(".no-conversations")?.toggleAttribute("hidden", !!list.querySelector("li"));
}

function append(conversations) {
  for (const conversation of conversations) {
    list.querySelector(`li[data-code="${conversation.code}"]`)?.remove();
    section(conversation.group).querySelector("ul").append(itemFor(conversation));
  }
  dropEmptyGroups();
}

// A conversation was active, renamed or started, in this tab or another:
// it goes to the top of its group (Today, for activity).
export function upsert(conversation) {
  if (conversation.code === currentCode()) showTitle(conversation.title);
  if (query) return; // search results stay as the server found them
  const old = list.querySelector(`li[data-code="${conversation.code}"]`);
  // Events do not say what the comparisons were: the list keeps what it showed.
  if (!("compared" in conversation)) {
    conversation = { ...conversation, compared: old?.querySelector(".conversation-compared")?.textContent };
  }
  old?.remove();
  section(conversation.group).querySelector("ul").prepend(itemFor(conversation));
  dropEmptyGroups();
}

export function remove(code) {
  list.querySelector(`li[data-code="${code}"]`)?.remove();
  dropEmptyGroups();
}

async function load(reset) {
  if (loading || (!reset && !next)) return;
  loading = true;
  const params = new URLSearchParams();
  if (query) params.set("q", query);
  if (!reset && next) params.set("after", next);
  try {
    const response = await fetch(listUrl + "?" + params, { credentials: "same-origin" });
    const data = await response.json();
    if (!response.ok) return;
    if (reset) list.querySelectorAll("section[data-group]").forEach((s) => s.remove());
    append(data.conversations);
    next = data.next;
    more.hidden = !next;
    list.querySelector(".no-conversations").textContent = query ? gettext("Nothing found.") : gettext("No conversations yet.");
    dropEmptyGroups();
  } finally {
    loading = false;
  }
  // A short first page leaves the sentinel on screen: keep loading.
  if (next && more.getBoundingClientRect().top < sidebar.getBoundingClientRect().bottom) load(false);
}

function startRename(item, conversation) {
  const link = item.querySelector("a");
  const input = document.createElement("input");
  input.value = conversation.title;
  input.maxLength = 200;
  input.className = "rename-input";
  input.setAttribute("aria-label", gettext("New title"));
  link.replaceWith(input);
  input.focus();
  input.select();
  let done = false;
  async function finish(save) {
    if (done) return;
    done = true;
    if (save && input.value.trim() && input.value.trim() !== conversation.title) {
      const body = new FormData();
      body.append("title", input.value);
      const response = await postForm(conversation.url + "rename/", body);
      if (response.ok) conversation = { ...(await response.json()), compared: conversation.compared };
    }
    item.replaceWith(itemFor(conversation));
    if (conversation.code === currentCode()) showTitle(conversation.title);
  }
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter") finish(true);
    if (event.key === "Escape") finish(false);
  });
  input.addEventListener("blur", () => finish(true));
}

function confirmDelete(conversation) {
  dialog.querySelector(".delete-title").textContent = conversation.title;
  dialog.returnValue = "";
  dialog.onclose = async function () {
    if (dialog.returnValue !== "delete") return;
    const body = new FormData();
    body.append("confirmed", "yes"); // an empty multipart body is refused as malformed
    const response = await postForm(conversation.url + "delete/", body);
    if (!response.ok) return;
    const data = await response.json();
    remove(conversation.code);
    if (conversation.code === currentCode()) location.assign(data.next);
  };
  dialog.showModal();
}

export function start() {
  const first = JSON.parse(document.getElementById("sidebar-data").textContent);
  append(first.conversations);
  next = first.next;
  more.hidden = !next;
  new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) load(false);
  }, { root: list }).observe(more);
  let timer = null;
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(() => {
      query = search.value.trim();
      next = null;
      load(true);
    }, 250);
  });
}
