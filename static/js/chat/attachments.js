// The composer's images: an attachment list (attachmentlist.js) drawn as
// tiles (tiles.js) under the message box, fed by the picker, drops, pastes
// and URLs (sources.js), kept in the draft, and estimated for the chosen
// model and detail.

import { formatNumber, gettext, interpolate } from "./i18n.js";
import * as sources from "./sources.js";
import { tiledList } from "./tiles.js";

const attachmentList = document.getElementById("attachments");
const modelPicker = document.getElementById("model");
const detailPicker = document.getElementById("detail");

let onChange = () => {};

const list = tiledList(attachmentList, {
  defaultDetail: () => detailPicker.value,
  estimate: estimateText,
  pageTokens: (page, detail) => (page.estimates && page.estimates[modelPicker.value] ? page.estimates[modelPicker.value][detail] : 0),
  onChange: () => onChange(),
});

// The server's estimate (chat/images/) for the chosen model and detail.
function estimateText(attachment, detail) {
  const perModel = attachment.estimates && attachment.estimates[modelPicker.value];
  if (!perModel) return "";
  return interpolate(gettext("≈ %(count)s input tokens"), { count: formatNumber(perModel[detail]) });
}

export const isUploading = () => list.isUploading();
export const readyImages = () => list.readyImages();

// What "Run on every page" runs on (chat/runs/): one document alone, all its
// pages; otherwise the images ready to send (a document's chosen pages).
export function runTarget() {
  const ready = list.items.filter((a) => a.status === "ready");
  if (ready.length === 1 && ready[0].document) return { document: ready[0].document.id };
  return { images: list.readyImages().map((image) => image.id) };
}
export const draftImages = () => list.draftImages();
export const clear = () => list.clear();
export const addStored = (payload) => list.addStored(payload);
export const addFiles = (files) => list.addFiles(files);
export const remove = (attachment) => list.remove(attachment);

// A draft's images, uploaded before a reload. One the server no longer has
// (removed unsent after a day) is dropped without a word.
export function restore(images) {
  const ours = images.filter((image) => image.payload && /^\/images\/[0-9a-f-]+\//.test(image.payload.thumbnail_url));
  for (const { payload, detail } of ours.slice(0, list.maxImages)) {
    const attachment = list.addReady(payload, detail);
    fetch(payload.thumbnail_url, { credentials: "same-origin" }).then(function (response) {
      if (response.status === 404 && list.items.includes(attachment)) list.remove(attachment);
    }, () => {}); // offline: keep it; sending will say if it is gone
  }
  onChange();
}

function redrawReady() {
  for (const attachment of list.items) if (attachment.status === "ready") list.view.draw(attachment);
}

// `changed` runs whenever an image is added, uploaded, changed or removed.
export function start(changed) {
  onChange = changed;
  // Estimates follow the model and the message's detail level.
  modelPicker.addEventListener("change", redrawReady);
  detailPicker.addEventListener("change", redrawReady);
  sources.start(list);
}
