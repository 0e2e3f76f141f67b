// The user's own thumbs up or down, and an optional comment, under each
// finished answer (views.feedback). Clicking the chosen thumb again takes it back.

import { gettext, interpolate } from "./i18n.js";
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
      if (!ok) throw new Error(body.error || gettext("Your feedback could not be saved."));
      message.feedback = body.rating ? body : null;
      bar.replaceWith(feedbackBar(message));
    })
    .catch((error) => {
      bar.querySelector(".feedback-error").textContent =
        error instanceof TypeError ? gettext("Your feedback could not be saved: no connection.") : error.message;
    });
}

export function feedbackBar(message) {
  // The server's word is the freshest (the page's data, a switch of version:
  // another tab may have changed it); a "done" carries none, so keep ours.
  if (message.feedback !== undefined) given.set(message.id, message.feedback ?? NONE);
  const current = given.get(message.id) ?? NONE;
  const bar = document.createElement("div");
  bar.className = "feedback";
  for (const [rating, label] of [["up", gettext("Good answer")], ["down", gettext("Bad answer")]]) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "thumb " + rating;
    button.append(thumbIcon());
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
  input.placeholder = gettext("Tell us more (optional)");
  input.setAttribute("aria-label", gettext("Comment on this answer"));
  input.value = current.comment;
  const send = document.createElement("button");
  send.type = "submit";
  send.textContent = current.comment ? gettext("Update comment") : gettext("Save comment");
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
  if (current.comment) saved.textContent = gettext("Thanks — your comment is saved.");
  bar.append(comment, saved, error);
  return bar;
}

// A drawn thumb, not an emoji: machines without a colour-emoji font showed an
// empty box. The path is Feather's "thumbs-up" (MIT); CSS turns it for "down".
const THUMB = "M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3";

function thumbIcon() {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", THUMB);
  svg.append(path);
  return svg;
}
