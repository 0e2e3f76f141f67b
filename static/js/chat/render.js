// The pieces of a drawn message that depend only on the message: text lines
// and the image strip.

import { formatNumber, gettext, interpolate, ngettext, pageLanguage } from "./i18n.js";
import * as viewer from "./viewer.js";
import { viewerItem } from "./vieweritem.js";

// The largest a thumbnail is drawn in the transcript (as in conversation.css).
const THUMBNAIL_BOX = { width: 220, height: 160 };

function seconds(ms) {
  return (ms / 1000).toLocaleString(pageLanguage(), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

export function metaLine(message) {
  const parts = [message.model];
  if (message.prompt_tokens != null) {
    parts.push(interpolate(gettext("%(prompt)s + %(completion)s tokens"), {
      prompt: formatNumber(message.prompt_tokens), completion: formatNumber(message.completion_tokens),
    }));
  } else if (message.completion_tokens != null) {
    parts.push(interpolate(gettext("%(count)s tokens"), { count: formatNumber(message.completion_tokens) }));
  }
  if (message.first_token_ms != null) {
    parts.push(interpolate(gettext("first token %(seconds)s s"), { seconds: seconds(message.first_token_ms) }));
  }
  if (message.total_ms != null) parts.push(interpolate(gettext("total %(seconds)s s"), { seconds: seconds(message.total_ms) }));
  return parts.filter(Boolean).join(" · ");
}

// What chat/live/request_body.py left out of the request for this answer, and why:
// whole turns go only for the history budget; images alone, for the
// conversation's image-history setting.
export function leftOutText(message) {
  const turns = message.dropped_turns;
  const images = message.dropped_images;
  if (turns && images) {
    return interpolate(
      gettext("%(turns)s and %(images)s were left out of this request, to fit the history budget and the image-history setting."),
      {
        turns: interpolate(ngettext("%(count)s earlier turn", "%(count)s earlier turns", turns), { count: turns }),
        images: interpolate(ngettext("%(count)s earlier image", "%(count)s earlier images", images), { count: images }),
      },
    );
  }
  if (turns) {
    return interpolate(ngettext(
      "%(count)s earlier turn was left out of this request, to fit the history budget.",
      "%(count)s earlier turns were left out of this request, to fit the history budget.",
      turns,
    ), { count: turns });
  }
  return interpolate(ngettext(
    "%(count)s earlier image was left out of this request, by this conversation's image-history setting.",
    "%(count)s earlier images were left out of this request, by this conversation's image-history setting.",
    images,
  ), { count: images });
}

export function problemText(message) {
  if (message.status === "stopped") return gettext("Stopped. The text above is what arrived before the stop.");
  if (message.status === "error") return message.error || gettext("The answer failed.");
  return noticeText(message);
}

// The sentence under a complete answer, from the code the server sends
// (chat/models/messages.py: NOTICES), in the reader's language; a payload from
// a server before the code carried the sentence itself, in "notice".
export function noticeText(message) {
  switch (message.notice_code) {
    case "length": return gettext("The answer was cut at the token limit.");
    case "content_filter": return gettext("The gateway filtered the answer.");
    case "image_settings_ignored":
      return gettext("This gateway does not take image settings (aspect ratio, size): the image was made without them, and they are not sent to this model again until the server restarts.");
    default: return message.notice || "";
  }
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
    img.alt = imageName(image) + ", " + image.width + "×" + image.height;
    img.title = img.alt + ", " + interpolate(gettext("detail %(detail)s"), { detail: image.detail }) +
      (image.tokens != null ? ", " + interpolate(gettext("≈ %(count)s input tokens"), { count: formatNumber(image.tokens) }) : "") +
      (image.animated ? ". " + gettext("GIF: the model sees the first frame") : "");
    link.append(img);
    strip.append(link);
    if (onZoom) strip.append(zoomButton(image, onZoom));
    if (onEdit) strip.append(editButton(image, onEdit));
  });
  return strip;
}

function imageName(image) {
  return image.name || interpolate(gettext("%(format)s image"), { format: image.format });
}

function editButton(image, onEdit) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "icon edit-image-action";
  button.textContent = "✎";
  button.title = image.name
    ? interpolate(gettext("Edit this image: attach %(name)s to a new message"), { name: image.name })
    : gettext("Edit this image: attach it to a new message");
  button.setAttribute("aria-label", interpolate(gettext("Edit this image (%(name)s)"), { name: imageName(image) }));
  button.addEventListener("click", () => onEdit(image, button));
  return button;
}

export function zoomButton(image, onZoom) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "icon zoom-region";
  button.textContent = "⌕";
  button.title = image.name
    ? interpolate(gettext("Zoom into a region of %(name)s"), { name: image.name })
    : gettext("Zoom into a region of this image");
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
  which.textContent = interpolate(ngettext("page %(pages)s of %(count)s", "pages %(pages)s of %(count)s", pages.length), {
    pages: pages.join(", "), count: doc.page_count,
  });
  const download = document.createElement("a");
  download.href = doc.original_url;
  download.download = doc.name;
  download.textContent = gettext("Download original");
  label.append(name, which, download);
  return label;
}
