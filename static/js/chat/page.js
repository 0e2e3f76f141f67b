// What the template hands the script: URLs and limits in data- attributes on
// <main id="conversation">, and the CSRF token for POSTs.

import { gettext, interpolate } from "./i18n.js";

export const root = document.getElementById("conversation");
export const config = root.dataset;

export function csrfToken() {
  return document.querySelector("[name=csrfmiddlewaretoken]").value;
}

// A same-origin form POST carrying the CSRF token.
export function postForm(url, form) {
  return fetch(url, {
    method: "POST",
    body: form,
    headers: { "X-CSRFToken": csrfToken() },
    credentials: "same-origin",
  });
}

// The same POST through XMLHttpRequest, whose upload reports its progress
// (fetch's does not): `onProgress(fraction)` as the body goes out. Returns
// {done, abort}; `done` resolves to {ok, status, body} with the JSON answer,
// or rejects with an Error whose message is a sentence for the page.
export function postFormWithProgress(url, form, onProgress) {
  const request = new XMLHttpRequest();
  const done = new Promise(function (resolve, reject) {
    request.open("POST", url);
    request.setRequestHeader("X-CSRFToken", csrfToken());
    request.responseType = "json";
    request.upload.addEventListener("progress", function (event) {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    request.addEventListener("load", function () {
      resolve({
        ok: request.status >= 200 && request.status < 300,
        status: request.status,
        body: request.response ?? { error: interpolate(gettext("The server answered %(status)s."), { status: request.status }) },
      });
    });
    request.addEventListener("error", () => reject(new Error(gettext("The upload failed: the connection to the server broke off."))));
    request.addEventListener("abort", () => reject(new Error(gettext("The upload was cancelled."))));
    request.send(form);
  });
  return { done: done, abort: () => request.abort() };
}
