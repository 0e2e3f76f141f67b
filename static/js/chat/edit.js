// "Edit this image": any image in the conversation joins the composer again
// without an upload (the server copies it, knowing its source: chat/studio/
// lineage.py) and, when the picked model cannot make images, the page offers
// to switch to one.

import { gettext, interpolate } from "./i18n.js";
import * as attachments from "./attachments.js";
import { config, postForm } from "./page.js";
import { showNotice } from "./notice.js";
import { firstImageModel, isImageModel } from "./studio.js";

const modelPicker = document.getElementById("model");
const offer = document.getElementById("switch-offer");

function offerSwitch() {
  const model = firstImageModel();
  if (!model || isImageModel(modelPicker.value)) {
    offer.hidden = true;
    return;
  }
  offer.querySelector(".switch-text").textContent =
    interpolate(gettext("%(current)s does not make images. Switch to %(model)s to edit it?"), { current: modelPicker.value, model: model });
  const button = offer.querySelector(".switch-model");
  button.textContent = interpolate(gettext("Switch to %(model)s"), { model: model });
  button.onclick = function () {
    modelPicker.value = model;
    modelPicker.dispatchEvent(new Event("change")); // saved, and the image settings shown
    offer.hidden = true;
    document.getElementById("message-text").focus();
  };
  offer.hidden = false;
}

export async function editImage(image, button) {
  if (button) button.disabled = true;
  try {
    const response = await postForm(config.reuseUrl.replace("00000000-0000-0000-0000-000000000000", image.id), null);
    const data = await response.json().catch(() => ({ error: gettext("The server did not answer.") }));
    if (!response.ok) {
      showNotice(interpolate(gettext("The image could not be attached: %(error)s"), { error: data.error }));
      return;
    }
    attachments.addStored(data);
    offerSwitch();
    document.getElementById("message-text").focus();
  } catch {
    showNotice(gettext("The image could not be attached: the server could not be reached."));
  } finally {
    if (button) button.disabled = false;
  }
}

export function start() {
  offer.querySelector(".switch-dismiss").addEventListener("click", () => (offer.hidden = true));
  modelPicker.addEventListener("change", function () {
    if (isImageModel(modelPicker.value)) offer.hidden = true;
  });
}
