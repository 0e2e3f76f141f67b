// The header's Share button: a dialog that makes a share link on request
// (chat/sharing/views.py: create) and copies it with one click.

import { gettext, interpolate } from "./i18n.js";
import { postForm } from "./page.js";

const dialog = document.getElementById("share-dialog");

async function copy(button, text) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = gettext("Copied");
  } catch {
    button.textContent = gettext("Copy failed: select the link");
  }
  setTimeout(() => (button.textContent = gettext("Copy")), 1500);
}

async function create(event) {
  event.preventDefault();
  const form = event.target;
  const error = form.querySelector(".share-error");
  const result = form.querySelector(".share-result");
  const button = form.querySelector("#share-create");
  error.hidden = true;
  button.disabled = true;
  try {
    const response = await postForm(form.action, new FormData(form));
    const body = await response.json().catch(() => ({
      error: interpolate(gettext("The server answered %(status)s."), { status: response.status }),
    }));
    if (!response.ok) throw new Error(body.error);
    const url = form.querySelector("#share-url");
    url.value = body.url;
    result.hidden = false;
    url.select();
  } catch (failure) {
    error.textContent = failure.message || gettext("The link could not be made: the connection broke off.");
    error.hidden = false;
  } finally {
    button.disabled = false;
  }
}

export function start() {
  if (!dialog) return;
  document.getElementById("share-open").addEventListener("click", function () {
    dialog.querySelector(".share-result").hidden = true;
    dialog.querySelector(".share-error").hidden = true;
    dialog.showModal();
  });
  document.getElementById("share-close").addEventListener("click", () => dialog.close());
  document.getElementById("share-form").addEventListener("submit", create);
  const button = document.getElementById("share-copy");
  button.addEventListener("click", () => copy(button, document.getElementById("share-url").value));
}
