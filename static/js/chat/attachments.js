// Images to send with the next message: picked, dropped (anywhere on the
// page), pasted or fetched by URL; each uploaded at once, with its progress,
// and drawn as a tile with its name, detail and estimate. A failed upload can
// be tried again or removed.

import { config, postFormWithProgress } from "./page.js";
import { showNotice } from "./notice.js";
import * as crop from "./crop.js";
import { formatBytes, viewerItem, zoomButton } from "./render.js";
import * as viewer from "./viewer.js";

const attachmentList = document.getElementById("attachments");
const modelPicker = document.getElementById("model");
const detailPicker = document.getElementById("detail");
const textBox = document.getElementById("message-text");
const attachButton = document.getElementById("attach");
const fileInput = document.getElementById("file-input");
const dropOverlay = document.getElementById("drop-overlay");
const addUrlButton = document.getElementById("add-url");
const urlRow = document.getElementById("url-row");
const urlInput = document.getElementById("url-input");
const urlSubmit = document.getElementById("url-submit");
const urlCancel = document.getElementById("url-cancel");

const maxImages = Number(config.maxImages);
const maxBytes = Number(config.maxBytes);

// {name, file | url, id, status (uploading, ready, failed), error, element,
//  detail (null: the message's), estimates, animated, payload, request, progress}
let attachments = [];
let onChange = () => {};

export function isUploading() {
  return attachments.some((a) => a.status === "uploading");
}

// The uploaded images as the "send" action carries them.
export function readyImages() {
  return attachments.filter((a) => a.status === "ready").map((a) => ({ id: a.id, detail: detailOf(a) }));
}

// The uploaded images as a draft keeps them (static/js/chat/draft.js).
export function draftImages() {
  return attachments.filter((a) => a.status === "ready").map((a) => ({ payload: a.payload, detail: a.detail }));
}

export function clear() {
  for (const attachment of attachments) forget(attachment);
  attachments = [];
  attachmentList.replaceChildren();
}

// Let go of what the tile holds: its upload, and its preview of the local file.
function forget(attachment) {
  if (attachment.request) attachment.request.abort();
  if (attachment.file) URL.revokeObjectURL(attachment.previewUrl);
}

function remove(attachment) {
  attachments = attachments.filter((a) => a !== attachment);
  attachment.element.remove();
  forget(attachment);
  onChange();
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

function openViewer(attachment, button) {
  const shown = attachments.filter((a) => a.payload || a.file);
  viewer.open(shown.map(viewed), shown.indexOf(attachment), button);
}

function drawAttachment(attachment) {
  const item = attachment.element || document.createElement("li");
  attachment.element = item;
  item.className = "attachment " + attachment.status;
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
    preview.title = "View " + attachment.name;
    preview.setAttribute("aria-label", preview.title);
    preview.addEventListener("click", () => openViewer(attachment, preview));
    preview.append(img);
    item.append(preview);
  } else {
    item.append(img);
  }
  const name = document.createElement("span");
  name.className = "name";
  name.textContent = attachment.name;
  name.title = attachment.name;
  item.append(name);

  if (attachment.status === "uploading") {
    const progress = document.createElement("progress");
    progress.max = 1;
    // Indeterminate (no value) until the first progress event; a URL has none.
    if (attachment.progress != null) progress.value = attachment.progress;
    progress.setAttribute("aria-label", "Uploading " + attachment.name);
    attachment.progressBar = progress;
    const caption = document.createElement("span");
    caption.textContent = "Uploading…";
    item.append(progress, caption);
  } else if (attachment.status === "failed") {
    const caption = document.createElement("span");
    caption.className = "error";
    caption.textContent = attachment.error;
    const retry = document.createElement("button");
    retry.type = "button";
    retry.className = "link retry";
    retry.textContent = "Retry";
    retry.setAttribute("aria-label", "Retry " + attachment.name);
    retry.addEventListener("click", function () {
      const refusal = roomFor([attachment.name]);
      if (refusal) return showNotice(refusal);
      attachment.status = "uploading";
      attachment.progress = null;
      drawAttachment(attachment);
      upload(attachment);
      onChange();
    });
    item.append(caption, retry);
  } else {
    const caption = document.createElement("span");
    caption.textContent = attachment.info;
    item.append(caption);
    if (attachment.animated) {
      const note = document.createElement("span");
      note.className = "note";
      note.textContent = "GIF: the model sees the first frame";
      item.append(note);
    }
    // Detail for this image; until the user picks one it follows the message's.
    const select = document.createElement("select");
    select.setAttribute("aria-label", "Detail for " + attachment.name);
    for (const level of ["auto", "low", "high"]) select.add(new Option(level, level));
    select.value = detailOf(attachment);
    select.addEventListener("change", function () {
      attachment.detail = select.value;
      drawAttachment(attachment);
      onChange();
    });
    const estimate = document.createElement("span");
    estimate.className = "estimate";
    estimate.textContent = estimateText(attachment);
    item.append(select, estimate);
    if (attachment.payload) item.append(zoomButton(attachment.payload, crop.open));
  }
  const removeButton = document.createElement("button");
  removeButton.type = "button";
  removeButton.className = "remove";
  removeButton.textContent = "×";
  removeButton.setAttribute("aria-label", "Remove " + attachment.name);
  removeButton.addEventListener("click", () => remove(attachment));
  item.append(removeButton);
  if (!item.parentNode) attachmentList.append(item);
}

function detailOf(attachment) {
  return attachment.detail || detailPicker.value;
}

// The server's estimate (chat/images/) for the chosen model and detail.
function estimateText(attachment) {
  const perModel = attachment.estimates && attachment.estimates[modelPicker.value];
  if (!perModel) return "";
  return "≈ " + perModel[detailOf(attachment)] + " input tokens";
}

function redrawReadyAttachments() {
  for (const attachment of attachments) if (attachment.status === "ready") drawAttachment(attachment);
}

async function upload(attachment) {
  const form = new FormData();
  if (attachment.file) form.append("file", attachment.file);
  else form.append("url", attachment.url);
  form.append("detail", detailOf(attachment));
  const request = postFormWithProgress(attachment.file ? config.uploadUrl : config.uploadUrlUrl, form, function (fraction) {
    attachment.progress = fraction;
    if (attachment.progressBar) attachment.progressBar.value = fraction;
  });
  attachment.request = request;
  try {
    const response = await request.done;
    if (!response.ok) throw new Error(response.body.error || "The server answered " + response.status + ".");
    ready(attachment, response.body);
  } catch (error) {
    attachment.status = "failed";
    attachment.error = error.message || "Upload failed.";
  }
  attachment.request = null;
  // Removed while it uploaded: it stays removed.
  if (!attachments.includes(attachment)) return;
  drawAttachment(attachment);
  onChange();
}

// What the server said of a stored image: the tile is ready to send.
function ready(attachment, payload) {
  attachment.id = payload.id;
  attachment.payload = payload;
  attachment.status = "ready";
  attachment.estimates = payload.estimates;
  attachment.animated = payload.animated;
  // A URL has no local file to preview, and most browsers cannot draw HEIC:
  // show the server's thumbnail instead.
  if (!attachment.file || payload.format === "HEIF") {
    if (attachment.file) URL.revokeObjectURL(attachment.previewUrl);
    attachment.previewUrl = payload.thumbnail_url;
  }
  const format = payload.crop_box ? "Zoomed region" : payload.format === "HEIF" ? "HEIC → JPEG" : payload.format;
  attachment.info = format + " " + payload.width + "×" + payload.height + " · " + formatBytes(payload.size);
}

// An image already stored (a zoomed region): it joins the message at its own detail.
export function addStored(payload) {
  showNotice("");
  const refusal = roomFor([payload.name]);
  if (refusal) return showNotice(refusal);
  addReady(payload, payload.detail);
  onChange();
}

function addReady(payload, detail) {
  const attachment = { name: payload.name || payload.format + " image", detail: detail, previewUrl: payload.thumbnail_url };
  ready(attachment, payload);
  attachments.push(attachment);
  drawAttachment(attachment);
  return attachment;
}

// A draft's images, uploaded before a reload. One the server no longer has
// (removed unsent after a day) is dropped without a word.
export function restore(images) {
  const ours = images.filter((image) => image.payload && /^\/images\/[0-9a-f-]+\//.test(image.payload.thumbnail_url));
  for (const { payload, detail } of ours.slice(0, maxImages)) {
    const attachment = addReady(payload, detail);
    fetch(payload.thumbnail_url, { credentials: "same-origin" }).then(function (response) {
      if (response.status === 404 && attachments.includes(attachment)) remove(attachment);
    }, () => {}); // offline: keep it; sending will say if it is gone
  }
  onChange();
}

// The sentence refusing `names` for want of room, or "" when they fit.
function roomFor(names) {
  const kept = attachments.filter((a) => a.status !== "failed").length;
  const over = names.slice(Math.max(0, maxImages - kept));
  if (!over.length) return "";
  const quoted = over.map((name) => "“" + name + "”");
  const list = quoted.length === 1 ? quoted[0] : quoted.slice(0, -1).join(", ") + " and " + quoted[quoted.length - 1];
  return "A message can carry at most " + maxImages + " images; " + list + (over.length === 1 ? " was" : " were") + " not added.";
}

function addUrl(url) {
  showNotice("");
  if (!url) return;
  if (!url.startsWith("https://")) {
    showNotice("Only https:// image URLs can be added.");
    return;
  }
  const refusal = roomFor([url]);
  if (refusal) return showNotice(refusal);
  const attachment = { url: url, name: url, detail: null, status: "uploading", previewUrl: "" };
  attachments.push(attachment);
  drawAttachment(attachment);
  upload(attachment);
  onChange();
}

// The reason the page itself refuses `file`, or "" (the server checks the bytes;
// this only saves uploading an obvious non-image or a file that is too big).
function refusalOf(file) {
  if (file.type && !file.type.startsWith("image/")) {
    return "“" + file.name + "” is not an image. Attach PNG, JPEG, GIF, WebP or HEIC files.";
  }
  if (file.size > maxBytes) {
    return "“" + file.name + "” is " + formatBytes(file.size) + "; images must be at most " + formatBytes(maxBytes) + ".";
  }
  return "";
}

// Every refused file is named with its reason, one line each.
function addFiles(files) {
  const refusals = [];
  const accepted = [];
  for (const file of files) {
    const refusal = refusalOf(file);
    if (refusal) refusals.push(refusal);
    else accepted.push(file);
  }
  const noRoom = roomFor(accepted.map((file) => file.name));
  if (noRoom) refusals.push(noRoom);
  const room = Math.max(0, maxImages - attachments.filter((a) => a.status !== "failed").length);
  for (const file of accepted.slice(0, room)) {
    const attachment = { file: file, name: file.name, detail: null, status: "uploading", previewUrl: URL.createObjectURL(file) };
    attachments.push(attachment);
    drawAttachment(attachment);
    upload(attachment);
  }
  showNotice(refusals.join("\n"));
  onChange();
}

function submitUrl() {
  addUrl(urlInput.value.trim());
  urlInput.value = "";
  urlRow.hidden = true;
}

// `changed` runs whenever an image is added, uploaded, changed or removed.
export function start(changed) {
  onChange = changed;

  // Estimates follow the model and the message's detail level.
  modelPicker.addEventListener("change", redrawReadyAttachments);
  detailPicker.addEventListener("change", redrawReadyAttachments);

  // Add an image by URL: the server fetches it once (chat/images/fetch.py).
  addUrlButton.addEventListener("click", function () {
    urlRow.hidden = false;
    urlInput.focus();
  });
  urlSubmit.addEventListener("click", submitUrl);
  urlInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") {
      event.preventDefault();
      submitUrl();
    }
  });
  urlCancel.addEventListener("click", function () {
    urlInput.value = "";
    urlRow.hidden = true;
  });

  // Attach by picker, drag and drop, or paste.
  attachButton.addEventListener("click", () => fileInput.click());
  fileInput.addEventListener("change", function () {
    addFiles(Array.from(fileInput.files));
    fileInput.value = "";
  });
  // A file dropped anywhere on the page is attached: without this, a drop
  // outside the composer (on the sidebar, say) opened the file in the tab and
  // lost the draft.
  const carriesFiles = (event) => event.dataTransfer && event.dataTransfer.types.includes("Files");
  // Each element entered is left again: the drag has left the window when
  // as many dragleave events as dragenter ones have come.
  let entered = 0;
  document.addEventListener("dragenter", function (event) {
    if (!carriesFiles(event)) return;
    entered += 1;
    dropOverlay.hidden = false;
  });
  document.addEventListener("dragleave", function (event) {
    if (!carriesFiles(event)) return;
    entered = Math.max(0, entered - 1);
    if (!entered) dropOverlay.hidden = true;
  });
  document.addEventListener("dragover", function (event) {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    dropOverlay.hidden = false;
  });
  document.addEventListener("drop", function (event) {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    entered = 0;
    dropOverlay.hidden = true;
    addFiles(Array.from(event.dataTransfer.files));
  });
  textBox.addEventListener("paste", function (event) {
    const files = Array.from(event.clipboardData.files);
    if (files.length) {
      event.preventDefault();
      addFiles(files);
    }
  });
}
