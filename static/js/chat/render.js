// The pieces of a drawn message that depend only on the message: text lines
// and the image strip.

import * as viewer from "./viewer.js";
import { viewerItem } from "./vieweritem.js";

// The largest a thumbnail is drawn in the transcript (as in conversation.css).
const THUMBNAIL_BOX = { width: 220, height: 160 };

function plural(count, word) {
  return count + " " + word + (count === 1 ? "" : "s");
}

export function metaLine(message) {
  const parts = [message.model];
  if (message.prompt_tokens != null) {
    parts.push(message.prompt_tokens + " + " + message.completion_tokens + " tokens");
  } else if (message.completion_tokens != null) {
    parts.push(message.completion_tokens + " tokens");
  }
  if (message.first_token_ms != null) parts.push("first token " + (message.first_token_ms / 1000).toFixed(2) + " s");
  if (message.total_ms != null) parts.push("total " + (message.total_ms / 1000).toFixed(2) + " s");
  return parts.filter(Boolean).join(" · ");
}

// What chat/live/request_body.py left out of the request for this answer, and why:
// whole turns go only for the history budget; images alone, for the
// conversation's image-history setting.
export function leftOutText(message) {
  const turns = message.dropped_turns;
  const images = message.dropped_images;
  const parts = [];
  if (turns) parts.push(plural(turns, "earlier turn"));
  if (images) parts.push(plural(images, "earlier image"));
  const why = !turns ? "by this conversation's image-history setting"
    : turns && images ? "to fit the history budget and the image-history setting"
    : "to fit the history budget";
  return parts.join(" and ") + (turns + images > 1 ? " were" : " was") + " left out of this request, " + why + ".";
}

export function problemText(message) {
  if (message.status === "stopped") return "Stopped. The text above is what arrived before the stop.";
  if (message.status === "error") return message.error || "The answer failed.";
  return message.notice || ""; // e.g. "The answer was cut at the token limit."
}

// The size a thumbnail is drawn at, set before it loads so nothing moves when it does.
function thumbnailSize(image) {
  const ratio = Math.min(1, THUMBNAIL_BOX.width / image.width, THUMBNAIL_BOX.height / image.height);
  return { width: Math.max(1, Math.round(image.width * ratio)), height: Math.max(1, Math.round(image.height * ratio)) };
}

// Each thumbnail opens the message's images in the viewer (and in a new tab
// with a middle click). `onZoom(image)`, when given, adds a button per image
// to zoom into a region; `onEdit(image, button)` one to edit it (edit.js).
export function imageStrip(images, onZoom, onEdit) {
  const strip = document.createElement("div");
  strip.className = "images";
  let shownDocument = null;
  images.forEach(function (image, index) {
    // A document's pages come together, under its name and a download.
    if (image.document && image.document.id !== shownDocument) {
      strip.append(documentLabel(image.document, images));
      shownDocument = image.document.id;
    }
    const link = document.createElement("a");
    link.href = image.view_url || image.url;
    link.target = "_blank";
    link.addEventListener("click", function (event) {
      event.preventDefault();
      viewer.open(images.map(viewerItem), index, link);
    });
    const img = document.createElement("img");
    img.loading = "lazy";
    img.decoding = "async";
    if (image.width && image.height) Object.assign(img, thumbnailSize(image));
    img.src = image.thumbnail_url;
    img.alt = (image.name || image.format + " image") + ", " + image.width + "×" + image.height;
    img.title = img.alt + ", detail " + image.detail +
      (image.tokens != null ? ", ≈ " + image.tokens + " input tokens" : "") +
      (image.animated ? ". GIF: the model sees the first frame" : "");
    link.append(img);
    strip.append(link);
    if (onZoom) strip.append(zoomButton(image, onZoom));
    if (onEdit) strip.append(editButton(image, onEdit));
  });
  return strip;
}

function editButton(image, onEdit) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "icon edit-image-action";
  button.textContent = "✎";
  button.title = "Edit this image: attach " + (image.name || "it") + " to a new message";
  button.setAttribute("aria-label", "Edit this image (" + (image.name || image.format + " image") + ")");
  button.addEventListener("click", () => onEdit(image, button));
  return button;
}

export function zoomButton(image, onZoom) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "icon zoom-region";
  button.textContent = "⌕";
  button.title = "Zoom into a region of " + (image.name || "this image");
  button.setAttribute("aria-label", button.title);
  button.addEventListener("click", () => onZoom(image));
  return button;
}

// "contract.pdf · pages 1, 3 of 12 · Download original" above a document's pages.
function documentLabel(doc, images) {
  const label = document.createElement("div");
  label.className = "document-label";
  const pages = images.filter((i) => i.document && i.document.id === doc.id).map((i) => i.page);
  const name = document.createElement("strong");
  name.textContent = doc.name;
  const which = document.createElement("span");
  which.textContent = (pages.length === 1 ? "page " : "pages ") + pages.join(", ") + " of " + doc.page_count;
  const download = document.createElement("a");
  download.href = doc.original_url;
  download.download = doc.name;
  download.textContent = "Download original";
  label.append(name, which, download);
  return label;
}
