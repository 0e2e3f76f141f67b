// An image model's pictures, drawn large on the answer's side at their aspect
// ratio, each with: open in the viewer, download (named by the server after
// the conversation, model and time), copy to the clipboard, and "Edit this
// image" (edit.js). Uploaded images keep their thumbnails (render.js).

import { gettext, interpolate } from "./i18n.js";
import * as announcer from "./announcer.js";
import { viewerItem } from "./vieweritem.js";
import { editImage } from "./edit.js";
import * as viewer from "./viewer.js";

// The URL of the image the page shows large: the display copy where there is one.
export function displayUrl(image) {
  return image.display_url || image.view_url || image.url;
}

// PNG, which every browser's clipboard takes; other formats are drawn into one.
async function pngBlob(image) {
  const response = await fetch(displayUrl(image), { credentials: "same-origin" });
  const blob = await response.blob();
  if (blob.type === "image/png") return blob;
  const bitmap = await createImageBitmap(blob);
  const canvas = document.createElement("canvas");
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  canvas.getContext("2d").drawImage(bitmap, 0, 0);
  return await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}

async function copy(image, button) {
  try {
    // The promise is handed over at once: Safari wants the write in the click.
    await navigator.clipboard.write([new ClipboardItem({ "image/png": pngBlob(image) })]);
    button.textContent = gettext("Copied");
    announcer.say(gettext("The image was copied to the clipboard."));
  } catch {
    button.textContent = gettext("Copy failed");
    announcer.say(gettext("The browser did not let the page copy the image; use Download instead."));
  }
  setTimeout(() => (button.textContent = gettext("Copy")), 2000);
}

function action(label, title) {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "link";
  button.textContent = label;
  if (title) button.setAttribute("aria-label", title);
  return button;
}

export function generatedImages(images) {
  const list = document.createElement("div");
  list.className = "generated";
  images.forEach(function (image, index) {
    const figure = document.createElement("figure");
    figure.className = "generated-image";
    const open = document.createElement("a");
    open.href = image.view_url || image.url;
    open.target = "_blank";
    open.addEventListener("click", function (event) {
      event.preventDefault();
      viewer.open(images.map(viewerItem), index, open);
    });
    const img = document.createElement("img");
    img.decoding = "async";
    // Its own size, so the box keeps the aspect ratio before it loads; CSS scales it down.
    if (image.width && image.height) Object.assign(img, { width: image.width, height: image.height });
    img.src = displayUrl(image);
    img.alt = interpolate(gettext("Generated image %(number)s, %(width)s×%(height)s"), {
      number: index + 1, width: image.width, height: image.height,
    });
    open.append(img);
    const bar = document.createElement("figcaption");
    bar.className = "generated-actions";
    const view = action(gettext("Open"), interpolate(gettext("Open generated image %(number)s in the viewer"), { number: index + 1 }));
    view.addEventListener("click", () => viewer.open(images.map(viewerItem), index, view));
    const download = document.createElement("a");
    download.className = "link";
    download.href = image.download_url;
    download.setAttribute("download", "");
    download.textContent = gettext("Download");
    download.setAttribute("aria-label", interpolate(gettext("Download generated image %(number)s"), { number: index + 1 }));
    const copyButton = action(gettext("Copy"), interpolate(gettext("Copy generated image %(number)s"), { number: index + 1 }));
    copyButton.addEventListener("click", () => copy(image, copyButton));
    const edit = action(gettext("Edit this image"));
    edit.classList.add("edit-image-action");
    edit.addEventListener("click", () => editImage(image, edit));
    bar.append(view, download, copyButton, edit);
    figure.append(open, bar);
    list.append(figure);
  });
  return list;
}
