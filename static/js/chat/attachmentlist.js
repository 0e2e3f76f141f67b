// A list of images to send with a message, used by the composer
// (attachments.js) and the edit form (editor.js): each image is uploaded at
// once with its progress, a failed upload can be tried again or removed, and
// images over the limit are refused with a sentence naming them. No DOM here:
// the list says what changed through its `view` (tiles.js draws it), and
// Node's test runner checks it (tests/js/).

import { formatBytes } from "./format.js";
import { gettext, interpolate, ngettext } from "./i18n.js";
import { defaultPages, moreThanRoom } from "./pages.js";

// The sentence refusing `names` for want of room when `kept` images are
// attached already, or "" when they fit.
export function roomRefusal(names, kept, maxImages) {
  const over = names.slice(Math.max(0, maxImages - kept));
  if (!over.length) return "";
  const quoted = over.map((name) => "“" + name + "”");
  const list = quoted.length === 1 ? quoted[0]
    : interpolate(gettext("%(names)s and %(last)s"), { names: quoted.slice(0, -1).join(gettext(", ")), last: quoted.at(-1) });
  const format = ngettext(
    "A message can carry at most %(max)s images; %(names)s was not added.",
    "A message can carry at most %(max)s images; %(names)s were not added.",
    over.length,
  );
  return interpolate(format, { max: maxImages, names: list });
}

// PDFs and TIFFs become page images on the server (chat/documents/).
export function isDocument(file) {
  return file.type === "application/pdf" || file.type === "image/tiff" || /\.(pdf|tiff?)$/i.test(file.name);
}

// The reason the page itself refuses `file`, or "" (the server checks the bytes;
// this only saves uploading an obvious non-image or a file that is too big).
export function fileRefusal(file, maxBytes, maxDocumentBytes = maxBytes) {
  if (isDocument(file)) {
    if (file.size > maxDocumentBytes) {
      return interpolate(gettext("“%(name)s” is %(size)s; documents must be at most %(max)s."), {
        name: file.name, size: formatBytes(file.size), max: formatBytes(maxDocumentBytes),
      });
    }
    return "";
  }
  if (file.type && !file.type.startsWith("image/")) {
    return interpolate(
      gettext("“%(name)s” is not an image or a document. Attach PNG, JPEG, GIF, WebP or HEIC images, or PDF or TIFF documents."),
      { name: file.name },
    );
  }
  if (file.size > maxBytes) {
    return interpolate(gettext("“%(name)s” is %(size)s; images must be at most %(max)s."), {
      name: file.name, size: formatBytes(file.size), max: formatBytes(maxBytes),
    });
  }
  return "";
}

// What a tile says of a stored image: "PNG 64×48 · 1 KB".
export function describe(payload) {
  const format = payload.crop_box ? gettext("Zoomed region") : payload.format === "HEIF" ? "HEIC → JPEG" : payload.format;
  return format + " " + payload.width + "×" + payload.height + " · " + formatBytes(payload.size);
}

// An attachment: {name, file | url, id, status (uploading, ready, failed),
// error, detail (null: the list's default), estimates, animated, payload,
// info, previewUrl, request, progress}, plus what the view keeps on it.
export class AttachmentList {
  // `post(attachment, form, onProgress)` starts an upload and returns
  // {done, abort} (page.js's postFormWithProgress); `view` has draw(a),
  // progress(a), erase(a) and clear(); `notice(text)` shows a refusal;
  // `defaultDetail()` is the detail of an image the user has not set one for;
  // `onChange()` runs whenever an image is added, uploaded, changed or removed.
  // A document's tile (a PDF or TIFF) stands for the pages chosen in it;
  // `getJson(url)` asks for its pages while they render, every `pollMs`.
  constructor({ maxImages, maxBytes, maxDocumentBytes = maxBytes, post, view, notice, defaultDetail, onChange = () => {}, getJson = null, pollMs = 700 }) {
    Object.assign(this, { maxImages, maxBytes, maxDocumentBytes, post, view, notice, defaultDetail, onChange, getJson, pollMs });
    this.items = [];
  }

  // Uploading, or a document whose chosen pages are not all drawn yet.
  isUploading() {
    return this.items.some((a) => a.status === "uploading" || (a.document && a.status === "ready" && missingPages(a).length));
  }

  // The uploaded images as a "send" or "edit" action carries them: a
  // document's chosen pages, in order, each an image.
  readyImages() {
    return this.items
      .filter((a) => a.status === "ready")
      .flatMap((a) => (a.document ? chosenPages(a) : [a]).map((image) => ({ id: image.id, detail: this.detailOf(a) })));
  }

  // The pages chosen in a document's tile (the page picker, pagepicker.js).
  choosePages(attachment, pages) {
    attachment.chosen = [...pages].sort((x, y) => x - y);
    attachment.moreThanRoom = "";
    this.view.draw(attachment);
    this.onChange();
  }

  // Room for a document's pages: the message's images less the others'.
  roomForPages(attachment) {
    return Math.max(0, this.maxImages - this.kept() + weight(attachment));
  }

  // The uploaded images as a draft keeps them (draft.js).
  draftImages() {
    return this.items.filter((a) => a.status === "ready" && !a.document).map((a) => ({ payload: a.payload, detail: a.detail }));
  }

  detailOf(attachment) {
    return attachment.detail || this.defaultDetail();
  }

  setDetail(attachment, detail) {
    attachment.detail = detail;
    this.view.draw(attachment);
    this.onChange();
  }

  clear() {
    for (const attachment of this.items) forget(attachment);
    this.items = [];
    this.view.clear();
  }

  remove(attachment) {
    this.items = this.items.filter((a) => a !== attachment);
    this.view.erase(attachment);
    forget(attachment);
    this.onChange();
  }

  // The sentence refusing `names` for want of room, or "" when they fit.
  roomFor(names) {
    return roomRefusal(names, this.kept(), this.maxImages);
  }

  kept() {
    return this.items.filter((a) => a.status !== "failed").reduce((sum, a) => sum + weight(a), 0);
  }

  retry(attachment) {
    const refusal = this.roomFor([attachment.name]);
    if (refusal) return this.notice(refusal);
    attachment.status = "uploading";
    attachment.progress = null;
    this.view.draw(attachment);
    this.upload(attachment);
    this.onChange();
  }

  // Every refused file is named with its reason, one line each.
  addFiles(files) {
    const refusals = [];
    const accepted = [];
    for (const file of files) {
      const refusal = fileRefusal(file, this.maxBytes, this.maxDocumentBytes);
      if (refusal) refusals.push(refusal);
      else accepted.push(file);
    }
    const noRoom = this.roomFor(accepted.map((file) => file.name));
    if (noRoom) refusals.push(noRoom);
    const room = Math.max(0, this.maxImages - this.kept());
    for (const file of accepted.slice(0, room)) {
      const previewUrl = URL.createObjectURL(file);
      this.add({ file: file, name: file.name, detail: null, status: "uploading", previewUrl: previewUrl });
    }
    this.notice(refusals.join("\n"));
    this.onChange();
  }

  // An image by URL: the server fetches it once (chat/images/fetch.py).
  addUrl(url) {
    this.notice("");
    if (!url) return;
    if (!url.startsWith("https://")) return this.notice(gettext("Only https:// image URLs can be added."));
    const refusal = this.roomFor([url]);
    if (refusal) return this.notice(refusal);
    this.add({ url: url, name: url, detail: null, status: "uploading", previewUrl: "" });
    this.onChange();
  }

  // An image already stored (a zoomed region): it joins at its own detail.
  addStored(payload) {
    this.notice("");
    const refusal = this.roomFor([payload.name]);
    if (refusal) return this.notice(refusal);
    this.addReady(payload, payload.detail);
    this.onChange();
  }

  // An image the server has: a draft's, or one of the message being edited.
  addReady(payload, detail) {
    const attachment = {
      name: payload.name || interpolate(gettext("%(format)s image"), { format: payload.format }),
      detail: detail,
      previewUrl: payload.thumbnail_url,
    };
    ready(attachment, payload);
    this.items.push(attachment);
    this.view.draw(attachment);
    return attachment;
  }

  add(attachment) {
    this.items.push(attachment);
    this.view.draw(attachment);
    this.upload(attachment);
  }

  async upload(attachment) {
    const form = new FormData();
    if (attachment.file) form.append("file", attachment.file);
    else form.append("url", attachment.url);
    form.append("detail", this.detailOf(attachment));
    const view = this.view;
    const request = this.post(attachment, form, function (fraction) {
      attachment.progress = fraction;
      view.progress(attachment);
    });
    attachment.request = request;
    try {
      const response = await request.done;
      if (!response.ok) {
        throw new Error(response.body.error || interpolate(gettext("The server answered %(status)s."), { status: response.status }));
      }
      ready(attachment, response.body);
      if (attachment.document) this.documentArrived(attachment);
    } catch (error) {
      attachment.status = "failed";
      attachment.error = error.message || gettext("Upload failed.");
    }
    attachment.request = null;
    // Removed while it uploaded: it stays removed.
    if (!this.items.includes(attachment)) return;
    this.view.draw(attachment);
    this.onChange();
  }

  // A document answered with its page count: choose every page that fits,
  // and ask for the pages while they render.
  documentArrived(attachment) {
    const count = attachment.document.page_count;
    const room = this.roomForPages(attachment);
    attachment.chosen = defaultPages(count, room);
    attachment.moreThanRoom = moreThanRoom(count, room);
    if (attachment.document.status === "rendering") this.follow(attachment);
  }

  async follow(attachment) {
    while (this.items.includes(attachment) && attachment.document.status === "rendering") {
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
      const pages = attachment.document.pages;
      const after = pages.length ? pages[pages.length - 1].page : 0;
      let answer;
      try {
        answer = await this.getJson(attachment.document.url + "?after=" + after);
      } catch {
        continue; // offline for a moment: ask again
      }
      const fresh = answer.document;
      attachment.document = { ...fresh, pages: pages.concat(fresh.pages) };
      if (fresh.status === "failed") {
        attachment.status = "failed";
        attachment.error = fresh.error;
      }
      if (!this.items.includes(attachment)) return;
      this.view.draw(attachment);
      this.onChange();
    }
  }
}

// How many images a tile puts in the message.
function weight(attachment) {
  return attachment.document && attachment.chosen ? attachment.chosen.length : 1;
}

// A document's chosen pages that are drawn, as their image payloads.
export function chosenPages(attachment) {
  const byNumber = new Map(attachment.document.pages.map((p) => [p.page, p]));
  return attachment.chosen.map((n) => byNumber.get(n)).filter(Boolean);
}

function missingPages(attachment) {
  const drawn = new Set(attachment.document.pages.map((p) => p.page));
  return attachment.chosen.filter((n) => !drawn.has(n));
}

// Let go of what the tile holds: its upload, and its preview of the local file.
function forget(attachment) {
  if (attachment.request) attachment.request.abort();
  if (attachment.file) URL.revokeObjectURL(attachment.previewUrl);
}

// What the server said of a stored image: the tile is ready to send.
function ready(attachment, payload) {
  if (payload.document) {
    attachment.document = payload.document;
    attachment.payload = payload;
    attachment.status = "ready";
    const count = payload.document.page_count;
    attachment.info = payload.document.name + " · " + interpolate(ngettext("%(count)s page", "%(count)s pages", count), { count: count });
    return;
  }
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
  attachment.info = describe(payload);
}
