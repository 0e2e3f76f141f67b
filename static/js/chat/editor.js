// Editing a user message in place: its text, its images kept or removed, new
// ones added (uploaded now, in the composer's attachment list: the same limit,
// progress, retry and refusals); sending makes a new version on a new branch.

import { gettext, interpolate } from "./i18n.js";
import { showNotice } from "./notice.js";
import { send } from "./socket.js";
import { tiledList } from "./tiles.js";

const modelPicker = document.getElementById("model");

export function open(message) {
  const item = document.querySelector(`[data-message-id="${message.id}"]`);
  if (!item || item.querySelector(".edit-form")) return;

  const form = document.createElement("form");
  form.className = "edit-form";
  const text = document.createElement("textarea");
  text.value = message.text;
  text.setAttribute("aria-label", gettext("Edited message"));
  const list = document.createElement("ul");
  list.className = "edit-images";
  // A new image goes at "auto" detail; the message's own keep theirs.
  const images = tiledList(list, { compact: true, defaultDetail: () => "auto" });
  for (const image of message.images) images.addReady(image, image.detail);

  const picker = document.createElement("input");
  picker.type = "file";
  picker.accept = "image/*,.heic,.heif";
  picker.multiple = true;
  picker.hidden = true;
  picker.className = "edit-file-input";
  picker.addEventListener("change", function () {
    images.addFiles(Array.from(picker.files));
    picker.value = "";
  });
  const add = document.createElement("button");
  add.type = "button";
  add.textContent = gettext("Add images");
  add.addEventListener("click", () => picker.click());
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "link";
  cancel.textContent = gettext("Cancel");
  const submit = document.createElement("button");
  submit.type = "submit";
  submit.className = "primary";
  submit.textContent = gettext("Send");
  const row = document.createElement("div");
  row.className = "edit-row";
  row.append(add, picker, cancel, submit);
  form.append(text, list, row);

  const hidden = [...item.children];
  hidden.forEach((child) => (child.hidden = true));
  item.append(form);
  text.focus();

  cancel.addEventListener("click", function () {
    images.clear(); // ends the uploads still going
    form.remove();
    hidden.forEach((child) => (child.hidden = false));
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (images.isUploading()) return showNotice(gettext("Wait for the images to finish uploading."));
    const payload = {
      action: "edit",
      message: message.id,
      text: text.value.trim(),
      model: modelPicker.value,
      images: images.readyImages(),
    };
    if (!send(payload)) showNotice(gettext("Not connected to the server; your edit is kept here."));
  });
}
