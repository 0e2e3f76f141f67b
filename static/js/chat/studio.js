// An image model's settings in the composer: aspect ratio and size, shown
// when the picked model makes images (the server's TOKENGATE_IMAGE_MODELS),
// saved with the conversation when changed (chat/studio/views.py), and sent
// with each answer by the server.

import { gettext, interpolate } from "./i18n.js";
import { config, postForm } from "./page.js";
import { showNotice } from "./notice.js";

const studio = JSON.parse(document.getElementById("studio-config").textContent);
const row = document.getElementById("image-settings");
const ratioPicker = document.getElementById("aspect-ratio");
const sizePicker = document.getElementById("image-size");
const modelPicker = document.getElementById("model");

export function isImageModel(model) {
  return Object.hasOwn(studio.models, model);
}

// The first image model offered: what "Edit this image" offers to switch to.
export function firstImageModel() {
  return [...modelPicker.options].map((o) => o.value).find(isImageModel) || null;
}

function fill(select, values, chosen) {
  select.replaceChildren(new Option(gettext("model default"), ""));
  for (const value of values) select.add(new Option(value, value));
  // A size this model does not offer stays chosen but is not sent (the server leaves it out).
  select.value = values.includes(chosen) || chosen === "" ? chosen : "";
}

function show() {
  const model = modelPicker.value;
  row.hidden = !isImageModel(model);
  if (row.hidden) return;
  fill(ratioPicker, studio.ratios, studio.aspect_ratio);
  fill(sizePicker, studio.models[model], studio.image_size);
}

async function save() {
  const form = new FormData();
  form.append("aspect_ratio", ratioPicker.value);
  form.append("image_size", sizePicker.value);
  let response;
  try {
    response = await postForm(config.imageSettingsUrl, form);
  } catch {
    showNotice(gettext("The image settings were not saved: the server could not be reached."));
    return;
  }
  const data = await response.json().catch(() => ({ error: gettext("The server did not answer.") }));
  if (!response.ok) {
    showNotice(interpolate(gettext("The image settings were not saved: %(error)s"), { error: data.error }));
    show(); // back to what the next answers will really use
    return;
  }
  studio.aspect_ratio = data.aspect_ratio;
  studio.image_size = data.image_size;
}

export function start() {
  show();
  modelPicker.addEventListener("change", show);
  ratioPicker.addEventListener("change", save);
  sizePicker.addEventListener("change", save);
}
