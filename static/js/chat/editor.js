// Editing a user message in place: its text, its images kept or removed, new
// ones added (uploaded now); sending makes a new version on a new branch.

import { config, postForm } from "./page.js";
import { showNotice } from "./notice.js";
import { viewerItem } from "./render.js";
import { send } from "./socket.js";
import * as viewer from "./viewer.js";

const modelPicker = document.getElementById("model");

// `onView(button)` opens the image in the viewer.
function chip(image, onRemove, onView) {
  const item = document.createElement("li");
  item.className = "edit-image";
  const img = document.createElement("img");
  img.src = image.thumbnail_url;
  img.alt = image.name || image.format + " image";
  const view = document.createElement("button");
  view.type = "button";
  view.className = "preview";
  view.setAttribute("aria-label", "View " + img.alt);
  view.addEventListener("click", () => onView(view));
  view.append(img);
  const remove = document.createElement("button");
  remove.type = "button";
  remove.className = "icon";
  remove.textContent = "×";
  remove.setAttribute("aria-label", "Remove " + img.alt);
  remove.addEventListener("click", () => {
    item.remove();
    onRemove();
  });
  item.append(view, remove);
  return item;
}

export function open(message) {
  const item = document.querySelector(`[data-message-id="${message.id}"]`);
  if (!item || item.querySelector(".edit-form")) return;
  let images = message.images.map((image) => ({ id: image.id, detail: image.detail, image }));
  let uploading = 0;

  const form = document.createElement("form");
  form.className = "edit-form";
  const text = document.createElement("textarea");
  text.value = message.text;
  text.setAttribute("aria-label", "Edited message");
  const list = document.createElement("ul");
  list.className = "edit-images";
  const drawChip = (entry) =>
    list.append(
      chip(
        entry.image,
        () => (images = images.filter((e) => e !== entry)),
        (button) => viewer.open(images.map((e) => viewerItem(e.image)), images.indexOf(entry), button),
      ),
    );
  images.forEach(drawChip);

  const picker = document.createElement("input");
  picker.type = "file";
  picker.accept = "image/*,.heic,.heif";
  picker.multiple = true;
  picker.hidden = true;
  picker.className = "edit-file-input";
  picker.addEventListener("change", async function () {
    for (const file of picker.files) {
      const body = new FormData();
      body.append("file", file);
      body.append("detail", "auto");
      uploading += 1;
      const response = await postForm(config.uploadUrl, body);
      uploading -= 1;
      const data = await response.json();
      if (!response.ok) {
        showNotice(data.error);
        continue;
      }
      const entry = { id: data.id, detail: data.detail, image: data };
      images.push(entry);
      drawChip(entry);
    }
    picker.value = "";
  });
  const add = document.createElement("button");
  add.type = "button";
  add.textContent = "Add images";
  add.addEventListener("click", () => picker.click());
  const cancel = document.createElement("button");
  cancel.type = "button";
  cancel.className = "link";
  cancel.textContent = "Cancel";
  const submit = document.createElement("button");
  submit.type = "submit";
  submit.className = "primary";
  submit.textContent = "Send";
  const row = document.createElement("div");
  row.className = "edit-row";
  row.append(add, picker, cancel, submit);
  form.append(text, list, row);

  const hidden = [...item.children];
  hidden.forEach((child) => (child.hidden = true));
  item.append(form);
  text.focus();

  cancel.addEventListener("click", function () {
    form.remove();
    hidden.forEach((child) => (child.hidden = false));
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (uploading) return showNotice("Wait for the images to finish uploading.");
    const payload = {
      action: "edit",
      message: message.id,
      text: text.value.trim(),
      model: modelPicker.value,
      images: images.map((e) => ({ id: e.id, detail: e.detail })),
    };
    if (!send(payload)) showNotice("Not connected to the server; your edit is kept here.");
  });
}
