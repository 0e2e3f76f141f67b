// Region zoom: drag a rectangle over an image; the server cuts that box from
// the stored original (chat/images/crops.py) and the region joins the next
// message as an image of its own, sent at "high" detail.

import { gettext, interpolate } from "./i18n.js";
import { postForm } from "./page.js";
import { showNotice } from "./notice.js";

const dialog = document.getElementById("crop-dialog");
const stage = dialog.querySelector(".crop-stage");
const picture = dialog.querySelector(".crop-image");
const box = dialog.querySelector(".crop-box");
const size = dialog.querySelector(".crop-size");
const addButton = dialog.querySelector(".crop-add");
const cancelButton = dialog.querySelector(".crop-cancel");

let image = null; // {id, url, width, height, name}: the image being zoomed
let region = null; // {left, top, width, height} in the image's own pixels
let onRegion = () => {};

function scale() {
  return image.width / picture.clientWidth;
}

function draw(start, end) {
  const bounds = picture.getBoundingClientRect();
  const clamp = (v, max) => Math.min(Math.max(v, 0), max);
  const x1 = clamp(Math.min(start.x, end.x) - bounds.left, bounds.width);
  const y1 = clamp(Math.min(start.y, end.y) - bounds.top, bounds.height);
  const x2 = clamp(Math.max(start.x, end.x) - bounds.left, bounds.width);
  const y2 = clamp(Math.max(start.y, end.y) - bounds.top, bounds.height);
  box.hidden = false;
  box.style.left = picture.offsetLeft + x1 + "px";
  box.style.top = picture.offsetTop + y1 + "px";
  box.style.width = x2 - x1 + "px";
  box.style.height = y2 - y1 + "px";
  const s = scale();
  region = {
    left: Math.round(x1 * s),
    top: Math.round(y1 * s),
    width: Math.min(Math.round((x2 - x1) * s), image.width - Math.round(x1 * s)),
    height: Math.min(Math.round((y2 - y1) * s), image.height - Math.round(y1 * s)),
  };
  size.textContent = interpolate(gettext("%(width)s×%(height)s px of %(imageWidth)s×%(imageHeight)s"), {
    width: region.width, height: region.height, imageWidth: image.width, imageHeight: image.height,
  });
  addButton.disabled = region.width < 8 || region.height < 8;
}

export function open(target) {
  image = target;
  region = null;
  box.hidden = true;
  addButton.disabled = true;
  size.textContent = gettext("Drag a rectangle over the part to zoom into.");
  picture.src = target.url;
  picture.alt = target.name || gettext("image");
  dialog.showModal();
}

export function start(regionAdded) {
  onRegion = regionAdded;
  let origin = null;
  stage.addEventListener("pointerdown", function (event) {
    event.preventDefault();
    origin = { x: event.clientX, y: event.clientY };
    stage.setPointerCapture(event.pointerId);
  });
  stage.addEventListener("pointermove", function (event) {
    if (origin) draw(origin, { x: event.clientX, y: event.clientY });
  });
  stage.addEventListener("pointerup", function (event) {
    if (origin) draw(origin, { x: event.clientX, y: event.clientY });
    origin = null;
  });
  cancelButton.addEventListener("click", () => dialog.close());
  addButton.addEventListener("click", async function () {
    if (!region) return;
    const form = new FormData();
    for (const [key, value] of Object.entries(region)) form.append(key, value);
    addButton.disabled = true;
    const response = await postForm(image.crop_url, form);
    const payload = await response.json().catch(() => ({ error: gettext("The server did not answer.") }));
    addButton.disabled = false;
    if (!response.ok) {
      size.textContent = payload.error;
      return;
    }
    dialog.close();
    showNotice("");
    onRegion(payload);
  });
}
