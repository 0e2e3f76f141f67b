// The user's own thumbs up or down, and an optional comment, under each
// finished answer (views.feedback). Clicking the chosen thumb again takes it back.

import { config, postForm } from "./page.js";

const given = new Map(); // answer id -> {rating, comment} as last stored
const NONE = { rating: "", comment: "" };

function save(message, rating, comment, bar) {
  const form = new FormData();
  form.append("rating", rating);
  form.append("comment", comment);
  bar.querySelector(".feedback-error").textContent = "";
  // data-feedback-url is the URL of answer 0; each answer's has its own id.
  postForm(config.feedbackUrl.replace("/0/", "/" + message.id + "/"), form)
    .then((response) => response.json().then((body) => ({ ok: response.ok, body })))
    .then(({ ok, body }) => {
      if (!ok) throw new Error(body.error || "Your feedback could not be saved.");
      message.feedback = body.rating ? body : null;
      bar.replaceWith(feedbackBar(message));
    })
    .catch((error) => {
      bar.querySelector(".feedback-error").textContent =
        error instanceof TypeError ? "Your feedback could not be saved: no connection." : error.message;
    });
}

export function feedbackBar(message) {
  // The server's word is the freshest (the page's data, a switch of version:
  // another tab may have changed it); a "done" carries none, so keep ours.
  if (message.feedback !== undefined) given.set(message.id, message.feedback ?? NONE);
  const current = given.get(message.id) ?? NONE;
  const bar = document.createElement("div");
  bar.className = "feedback";
  for (const [rating, label, symbol] of [["up", "Good answer", "👍"], ["down", "Bad answer", "👎"]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "thumb " + rating;
    button.textContent = symbol;
    button.title = label;
    button.setAttribute("aria-label", label);
    button.setAttribute("aria-pressed", String(current.rating === rating));
    button.addEventListener("click", () => {
      const rating_ = current.rating === rating ? "" : rating;
      save(message, rating_, rating_ ? current.comment : "", bar);
    });
    bar.append(button);
  }
  const comment = document.createElement("form");
  comment.className = "feedback-comment";
  comment.hidden = !current.rating;
  const input = document.createElement("input");
  input.name = "comment";
  input.maxLength = 2000;
  input.placeholder = "Tell us more (optional)";
  input.setAttribute("aria-label", "Comment on this answer");
  input.value = current.comment;
  const send = document.createElement("button");
  send.type = "submit";
  send.textContent = current.comment ? "Update comment" : "Save comment";
  comment.append(input, send);
  comment.addEventListener("submit", (event) => {
    event.preventDefault();
    save(message, current.rating, input.value.trim(), bar);
  });
  const error = document.createElement("span");
  error.className = "feedback-error";
  error.setAttribute("role", "alert");
  const saved = document.createElement("span");
  saved.className = "feedback-saved";
  if (current.comment) saved.textContent = "Thanks — your comment is saved.";
  bar.append(comment, saved, error);
  return bar;
}
