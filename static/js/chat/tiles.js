// An attachment list (attachmentlist.js) drawn as tiles in a <ul>: each with
// its preview (opening the viewer), its progress while it uploads, its error
// and Retry when that failed, and a button to remove it. The composer's tiles
// ("attachment") also name the image and carry its detail, estimate and zoom;
// the edit form's ("edit-image") are small.

import { AttachmentList, chosenPages } from "./attachmentlist.js";
import * as crop from "./crop.js";
import * as pagePicker from "./pagepicker.js";
import { selectionSummary } from "./pages.js";
import { formatBytes } from "./format.js";
import { gettext, interpolate } from "./i18n.js";
import * as markup from "./markup.js";
import { showNotice } from "./notice.js";
import { config, postFormWithProgress } from "./page.js";
import { zoomButton } from "./render.js";
import { viewerItem } from "./vieweritem.js";
import * as viewer from "./viewer.js";

// A list drawing itself in `container` (a <ul>). `compact`: the edit form's
// tiles; `estimate(attachment, detail)`: the composer's token estimate text.
// `pageTokens(page, detail)`: a document page's token estimate, a number.
export function tiledList(container, { compact = false, estimate = () => "", pageTokens = () => 0, defaultDetail, onChange }) {
  const view = {
    draw: (attachment) =>
      attachment.document && attachment.status === "ready"
        ? drawDocumentTile(list, attachment, container, pageTokens)
        : drawTile(list, attachment, container, compact, estimate),
    progress(attachment) {
      if (attachment.progressBar) attachment.progressBar.value = attachment.progress;
    },
    erase: (attachment) => attachment.element.remove(),
    clear: () => container.replaceChildren(),
  };
  const list = new AttachmentList({
    maxImages: Number(config.maxImages),
    maxBytes: Number(config.maxBytes),
    maxDocumentBytes: Number(config.maxDocumentBytes || config.maxBytes),
    getJson: async function (url) {
      const response = await fetch(url, { credentials: "same-origin" });
      if (!response.ok) throw new Error(interpolate(gettext("The server answered %(status)s."), { status: response.status }));
      return response.json();
    },
    post: (attachment, form, onProgress) =>
      postFormWithProgress(attachment.file ? config.uploadUrl : config.uploadUrlUrl, form, onProgress),
    view: view,
    notice: showNotice,
    defaultDetail: defaultDetail,
    onChange: onChange,
  });
  return list;
}

// What the viewer shows for a tile: the picked file itself, unless the browser
// cannot draw it (HEIC): then the server's copy.
function viewed(attachment) {
  const payload = attachment.payload;
  if (attachment.file && !(payload && payload.format === "HEIF")) {
    return { src: attachment.previewUrl, name: attachment.name, details: attachment.info || formatBytes(attachment.file.size) };
  }
  return { ...viewerItem(payload), name: attachment.name };
}

function openViewer(list, attachment, button) {
  const shown = list.items.filter((a) => a.payload || a.file);
  viewer.open(shown.map(viewed), shown.indexOf(attachment), button);
}

function drawTile(list, attachment, container, compact, estimate) {
  const item = attachment.element || document.createElement("li");
  attachment.element = item;
  item.className = (compact ? "edit-image " : "attachment ") + attachment.status;
  item.replaceChildren();
  const img = document.createElement("img");
  // An image URL has no preview until the server has fetched it: an empty
  // frame rather than a broken image with the whole URL as its alt text.
  if (attachment.previewUrl) img.src = attachment.previewUrl;
  img.alt = attachment.previewUrl ? attachment.name : "";
  // A browser that cannot draw the file itself (HEIC in Chromium) shows an
  // empty frame until the server's thumbnail arrives.
  img.addEventListener("error", function () {
    img.removeAttribute("src");
    img.alt = "";
  });
  if (attachment.payload || attachment.file) {
    const preview = document.createElement("button");
    preview.type = "button";
    preview.className = "preview";
    preview.title = interpolate(gettext("View %(name)s"), { name: attachment.name });
    preview.setAttribute("aria-label", preview.title);
    preview.addEventListener("click", () => openViewer(list, attachment, preview));
    preview.append(img);
    item.append(preview);
  } else {
    item.append(img);
  }
  if (!compact) {
    const name = document.createElement("span");
    name.className = "name";
    name.textContent = attachment.name;
    name.title = attachment.name;
    item.append(name);
  }

  if (attachment.status === "uploading") {
    const progress = document.createElement("progress");
    progress.max = 1;
    // Indeterminate (no value) until the first progress event; a URL has none.
    if (attachment.progress != null) progress.value = attachment.progress;
    progress.setAttribute("aria-label", interpolate(gettext("Uploading %(name)s"), { name: attachment.name }));
    attachment.progressBar = progress;
    const caption = document.createElement("span");
    caption.textContent = gettext("Uploading…");
    item.append(progress, caption);
  } else if (attachment.status === "failed") {
    const caption = document.createElement("span");
    caption.className = "error";
    caption.textContent = attachment.error;
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "link retry";
    retry.textContent = gettext("Retry");
    retry.setAttribute("aria-label", interpolate(gettext("Retry %(name)s"), { name: attachment.name }));
    retry.addEventListener("click", () => list.retry(attachment));
    item.append(caption, retry);
  } else if (!compact) {
    const caption = document.createElement("span");
    caption.textContent = attachment.info;
    item.append(caption);
    if (attachment.animated) {
      const note = document.createElement("span");
      note.className = "note";
      note.textContent = gettext("GIF: the model sees the first frame");
      item.append(note);
    }
    // Detail for this image; until the user picks one it follows the message's.
    const select = document.createElement("select");
    select.setAttribute("aria-label", interpolate(gettext("Detail for %(name)s"), { name: attachment.name }));
    for (const level of ["auto", "low", "high"]) select.add(new Option(level, level));
    select.value = list.detailOf(attachment);
    select.addEventListener("change", () => list.setDetail(attachment, select.value));
    const estimateText = document.createElement("span");
    estimateText.className = "estimate";
    estimateText.textContent = estimate(attachment, list.detailOf(attachment));
    item.append(select, estimateText);
    if (attachment.payload) item.append(zoomButton(attachment.payload, crop.open), markupButton(list, attachment));
  }
  const removeButton = document.createElement("button");
  removeButton.type = "button";
  removeButton.className = compact ? "icon" : "remove";
  removeButton.textContent = "×";
  removeButton.setAttribute("aria-label", interpolate(gettext("Remove %(name)s"), { name: attachment.name }));
  removeButton.addEventListener("click", () => list.remove(attachment));
  item.append(removeButton);
  if (!item.parentNode) container.append(item);
}

// A document: one tile ("contract.pdf · 12 pages") with its first page, the
// pages chosen and their tokens, progress while pages render, and Pages, which
// opens the page picker.
function drawDocumentTile(list, attachment, container, pageTokens) {
  const item = attachment.element || document.createElement("li");
  attachment.element = item;
  item.className = "attachment document ready";
  item.replaceChildren();
  const document_ = attachment.document;
  const first = document_.pages[0];
  const img = document.createElement("img");
  if (first) img.src = first.thumbnail_url;
  img.alt = first ? interpolate(gettext("First page of %(name)s"), { name: document_.name }) : "";
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = attachment.info;
  name.title = document_.name;
  item.append(img, name);
  const byNumber = new Map(document_.pages.map((p) => [p.page, p]));
  const detail = list.detailOf(attachment);
  const tokensOf = (number) => (byNumber.has(number) ? pageTokens(byNumber.get(number), detail) : 0);
  const chosen = document.createElement("span");
  chosen.className = "estimate";
  chosen.textContent = selectionSummary(attachment.chosen, document_.page_count, tokensOf);
  if (document_.send_text) chosen.textContent += " · " + gettext("with their text");
  item.append(chosen);
  if (document_.status === "rendering") {
    const progress = document.createElement("progress");
    progress.max = document_.page_count;
    progress.value = document_.pages.length;
    progress.setAttribute("aria-label", interpolate(gettext("Rendering %(name)s"), { name: document_.name }));
    const caption = document.createElement("span");
    caption.textContent = interpolate(gettext("Rendering page %(page)s of %(count)s…"), {
      page: Math.min(document_.pages.length + 1, document_.page_count),
      count: document_.page_count,
    });
    item.append(progress, caption);
  }
  if (attachment.moreThanRoom) {
    const note = document.createElement("span");
    note.className = "note";
    note.textContent = attachment.moreThanRoom;
    item.append(note);
  }
  const pagesButton = document.createElement("button");
  pagesButton.type = "button";
  pagesButton.className = "link choose-pages";
  pagesButton.textContent = gettext("Pages");
  pagesButton.setAttribute("aria-label", interpolate(gettext("Choose pages of %(name)s"), { name: document_.name }));
  pagesButton.addEventListener("click", () => pagePicker.open(list, attachment, tokensOf));
  const view = document.createElement("button");
  view.type = "button";
  view.className = "link";
  view.textContent = gettext("View");
  view.setAttribute("aria-label", interpolate(gettext("View the chosen pages of %(name)s"), { name: document_.name }));
  view.addEventListener("click", function () {
    const pages = chosenPages(attachment);
    if (pages.length) viewer.open(pages.map(viewerItem), 0, view);
  });
  const removeButton = document.createElement("button");
  removeButton.type = "button";
  removeButton.className = "remove";
  removeButton.textContent = "×";
  removeButton.setAttribute("aria-label", interpolate(gettext("Remove %(name)s"), { name: document_.name }));
  removeButton.addEventListener("click", () => list.remove(attachment));
  item.append(pagesButton, view, removeButton);
  if (!item.parentNode) container.append(item);
  pagePicker.refresh(attachment);
}

// Mark up the image (markup.js): the marked copy takes its place, or joins it.
function markupButton(list, attachment) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "icon markup-open";
  button.textContent = "✎";
  button.title = interpolate(gettext("Mark up %(name)s"), { name: attachment.name });
  button.setAttribute("aria-label", button.title);
  button.addEventListener("click", function () {
    markup.open(attachment.payload, function (marked, send) {
      if (send === "marked") list.remove(attachment);
      list.addStored(marked);
    });
  });
  return button;
}
