// What the template hands the script: URLs and limits in data- attributes on
// <main id="conversation">, and the CSRF token for POSTs.

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
