// Images to send with the next message: picked, dropped, pasted or fetched by
// URL; each uploaded at once and drawn as a tile with its detail and estimate.

import { config, postForm, root } from "./page.js";
import { showNotice } from "./notice.js";
import * as crop from "./crop.js";
import { formatBytes, zoomButton } from "./render.js";

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

// {name, file, id, status, error, element, detail (null: the message's), estimates, animated}
let attachments = [];
let onChange = () => {};

export function isUploading() {
  return attachments.some((a) => a.status === "uploading");
}

// The uploaded images as the "send" action carries them.
export function readyImages() {
  return attachments.filter((a) => a.status === "ready").map((a) => ({ id: a.id, detail: detailOf(a) }));
}

export function clear() {
  for (const attachment of attachments) if (attachment.file) URL.revokeObjectURL(attachment.previewUrl);
  attachments = [];
  attachmentList.replaceChildren();
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
  const caption = document.createElement("span");
  caption.textContent =
    attachment.status === "failed" ? attachment.error
    : attachment.status === "uploading" ? "Uploading…"
    : attachment.info;
  item.append(img, caption);
  if (attachment.status === "ready") {
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
    });
    const estimate = document.createElement("span");
    estimate.className = "estimate";
    estimate.textContent = estimateText(attachment);
    item.append(select, estimate);
    if (attachment.payload) item.append(zoomButton(attachment.payload, crop.open));
  }
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "remove";
  remove.textContent = "×";
  remove.setAttribute("aria-label", "Remove " + attachment.name);
  remove.addEventListener("click", function () {
    attachments = attachments.filter((a) => a !== attachment);
    item.remove();
    if (attachment.file) URL.revokeObjectURL(attachment.previewUrl);
    onChange();
  });
  item.append(remove);
  if (!item.parentNode) attachmentList.append(item);
}

function detailOf(attachment) {
  return attachment.detail || detailPicker.value;
}

// The server's estimate (chat/images.py) for the chosen model and detail.
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
  try {
    const response = await postForm(attachment.file ? config.uploadUrl : config.uploadUrlUrl, form);
    const payload = await response.json().catch(() => ({ error: "The server answered " + response.status + "." }));
    if (!response.ok) throw new Error(payload.error);
    ready(attachment, payload);
  } catch (error) {
    attachment.status = "failed";
    attachment.error = error.message || "Upload failed.";
  }
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
  if (!roomFor(payload.name)) return;
  const attachment = { name: payload.name, detail: payload.detail, previewUrl: payload.thumbnail_url };
  ready(attachment, payload);
  attachments.push(attachment);
  drawAttachment(attachment);
  onChange();
}

function roomFor(name) {
  const kept = attachments.filter((a) => a.status !== "failed").length;
  if (kept < maxImages) return true;
  showNotice("A message can carry at most " + maxImages + " images; “" + name + "” was not added.");
  return false;
}

function addUrl(url) {
  showNotice("");
  if (!url) return;
  if (!url.startsWith("https://")) {
    showNotice("Only https:// image URLs can be added.");
    return;
  }
  if (!roomFor(url)) return;
  const attachment = { url: url, name: url, detail: null, status: "uploading", previewUrl: "" };
  attachments.push(attachment);
  drawAttachment(attachment);
  upload(attachment);
  onChange();
}

function addFiles(files) {
  showNotice("");
  for (const file of files) {
    if (!roomFor(file.name)) break;
    // The server checks the bytes; this only saves uploading an obvious non-image.
    if (file.type && !file.type.startsWith("image/")) {
      showNotice("“" + file.name + "” is not an image. Attach PNG, JPEG, GIF, WebP or HEIC files.");
      continue;
    }
    if (file.size > maxBytes) {
      showNotice("“" + file.name + "” is " + formatBytes(file.size) + "; images must be at most " + formatBytes(maxBytes) + ".");
      continue;
    }
    const attachment = { file: file, name: file.name, detail: null, status: "uploading", previewUrl: URL.createObjectURL(file) };
    attachments.push(attachment);
    drawAttachment(attachment);
    upload(attachment);
  }
  onChange();
}

function submitUrl() {
  addUrl(urlInput.value.trim());
  urlInput.value = "";
  urlRow.hidden = true;
}

// `changed` runs whenever an upload starts, ends or is removed.
export function start(changed) {
  onChange = changed;

  // Estimates follow the model and the message's detail level.
  modelPicker.addEventListener("change", redrawReadyAttachments);
  detailPicker.addEventListener("change", redrawReadyAttachments);

  // Add an image by URL: the server fetches it once (chat/fetch.py).
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
  root.addEventListener("dragover", function (event) {
    if (!event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    dropOverlay.hidden = false;
  });
  root.addEventListener("dragleave", function (event) {
    if (event.target === root || !root.contains(event.relatedTarget)) dropOverlay.hidden = true;
  });
  root.addEventListener("drop", function (event) {
    event.preventDefault();
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
