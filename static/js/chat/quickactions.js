// Quick actions for attached images and documents' pages: each fills in a
// prompt the person can edit before sending; "Extract these fields…" also
// opens the list of fields (extractfields.js). "Compare" needs two images or more.
// "Run on every page" (or image) starts a run (chat/runs/) with the prompt
// written, and opens its page.

import * as attachments from "./attachments.js";
import * as extractFields from "./extractfields.js";
import { gettext, interpolate } from "./i18n.js";
import { showNotice } from "./notice.js";
import { postForm } from "./page.js";

const row = document.getElementById("quick-actions");
const textBox = document.getElementById("message-text");
const runButton = document.getElementById("run-every");

const PROMPTS = {
  describe: (n) =>
    n > 1
      ? gettext("Describe each of these images in detail: what it shows, any text in it, and anything unusual.")
      : gettext("Describe this image in detail: what it shows, any text in it, and anything unusual."),
  markdown: (n) =>
    n > 1
      ? gettext("Extract all the text in these images exactly as written, in reading order, as Markdown: headings as headings, lists as lists, and any tables as Markdown tables. Answer with the Markdown alone.")
      : gettext("Extract all the text in the image exactly as written, in reading order, as Markdown: headings as headings, lists as lists, and any tables as Markdown tables. Answer with the Markdown alone."),
  tables: (n) =>
    n > 1
      ? gettext("Extract every table in these images as a Markdown table, with its header row, each cell exactly as written (numbers without currency signs or thousands separators). Put a short title above each table; nothing else.")
      : gettext("Extract every table in the image as a Markdown table, with its header row, each cell exactly as written (numbers without currency signs or thousands separators). Put a short title above each table; nothing else."),
  fields: (n) => (n > 1 ? gettext("Extract these fields from these images.") : gettext("Extract these fields from the image.")),
  compare: (n) =>
    interpolate(gettext("Compare these %(count)s images: what they have in common, how they differ, and which differences matter most."), { count: n }),
};

let count = 0;

// Called whenever the attachments change, with the number ready to send.
export function update(readyImages) {
  count = readyImages;
  row.hidden = count === 0;
  row.querySelector('[data-action="compare"]').hidden = count < 2;
  runButton.textContent = attachments.runTarget().document ? gettext("Run on every page") : gettext("Run on every image");
}

async function startRun() {
  const prompt = textBox.value.trim();
  if (!prompt && !extractFields.request()) {
    showNotice(gettext("Write the prompt first: it is sent with every page or image."));
    textBox.focus();
    return;
  }
  const form = new FormData();
  form.append("prompt", prompt);
  form.append("model", document.getElementById("model").value);
  const target = attachments.runTarget();
  if (target.document) form.append("document", target.document);
  for (const id of target.images || []) form.append("images", id);
  const extract = extractFields.request(); // "Extract these fields…" open: each item's fields
  if (extract) form.append("fields", JSON.stringify(extract.fields));
  runButton.disabled = true;
  showNotice(gettext("Starting the run…"));
  try {
    const response = await postForm(runButton.dataset.startUrl, form);
    const data = await response.json();
    if (!response.ok) throw new Error(data.error);
    window.location.assign(data.url);
  } catch (error) {
    showNotice(error.message);
  } finally {
    runButton.disabled = false;
  }
}

export function start() {
  for (const button of row.querySelectorAll("button[data-action]")) {
    button.addEventListener("click", function () {
      if (button.dataset.action === "fields") extractFields.open();
      textBox.value = PROMPTS[button.dataset.action](count);
      textBox.dispatchEvent(new Event("input")); // resize the box
      if (button.dataset.action !== "fields") textBox.focus();
    });
  }
  runButton.addEventListener("click", startRun);
  update(0);
}
