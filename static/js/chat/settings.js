// The conversation's settings, stored on the server when changed: the model
// picker, the image-history select, and the settings panel (instructions,
// temperature, longest answer; validated by chat/forms.py).

import { gettext, interpolate } from "./i18n.js";
import { config, postForm } from "./page.js";
import { showNotice } from "./notice.js";

const imageHistoryPicker = document.getElementById("image-history");
const modelPicker = document.getElementById("model");
const toggle = document.getElementById("settings-toggle");
const panel = document.getElementById("settings-panel");
const panelError = document.getElementById("settings-error");
const saved = document.getElementById("settings-saved");

async function save(url, form) {
  let response;
  try {
    response = await postForm(url, form);
  } catch {
    return { error: gettext("The server could not be reached.") };
  }
  const data = await response.json().catch(() => ({ error: gettext("The server did not answer.") }));
  return response.ok ? { data } : { error: data.error };
}

export function start() {
  let savedImageHistory = imageHistoryPicker.value;
  imageHistoryPicker.addEventListener("change", async function () {
    const form = new FormData();
    form.append("value", imageHistoryPicker.value);
    const { error } = await save(config.imageHistoryUrl, form);
    if (error) {
      // Show what the next answers will really use, and why it did not change.
      imageHistoryPicker.value = savedImageHistory;
      const kept = imageHistoryPicker.selectedOptions[0]?.textContent ?? savedImageHistory;
      showNotice(interpolate(gettext("The image-history setting was not saved, so it stays at “%(kept)s”: %(error)s"), { kept, error }));
    } else {
      savedImageHistory = imageHistoryPicker.value;
    }
  });

  // Saved when picked, so a reload or a new conversation keeps it.
  modelPicker.addEventListener("change", async function () {
    const form = new FormData();
    form.append("model", modelPicker.value);
    const { error } = await save(config.modelUrl, form);
    if (error) showNotice(error);
  });

  toggle.addEventListener("click", function () {
    panel.hidden = !panel.hidden;
    toggle.setAttribute("aria-expanded", String(!panel.hidden));
    if (!panel.hidden) panel.querySelector("textarea, input")?.focus();
  });
  panel.addEventListener("input", () => (saved.hidden = true));
  panel.addEventListener("submit", async function (event) {
    event.preventDefault();
    const { data, error } = await save(config.settingsUrl, new FormData(panel));
    panelError.textContent = error || "";
    panelError.hidden = !error;
    saved.hidden = !!error;
    if (data) panel.elements.instructions.value = data.instructions;
  });
}
