// The conversation's settings in the header, stored on the server.

import { config, postForm } from "./page.js";
import { showNotice } from "./notice.js";

const imageHistoryPicker = document.getElementById("image-history");

export function start() {
  imageHistoryPicker.addEventListener("change", async function () {
    const form = new FormData();
    form.append("value", imageHistoryPicker.value);
    const response = await postForm(config.imageHistoryUrl, form);
    if (!response.ok) showNotice("The image-history setting could not be saved.");
  });
}
