// The review page: keyboard shortcuts and the original-image viewer.
// Everything works without it (plain forms and links); this only makes it quicker.

import "./corrections.js";
import "./rubric.js";
import { place } from "./boxes.js";

const page = document.querySelector(".review");

// The viewer: an original opens in a dialog over the page, through the same
// permission-checked URL the link points at.
const viewer = document.getElementById("review-viewer");
function openOriginal(link) {
  viewer.querySelector("img").src = link.href;
  // The image's boxes over the original too, where they sit on the thumbnail.
  const frame = viewer.querySelector(".review-box-frame");
  frame.querySelectorAll(".review-box-overlay").forEach((box) => box.remove());
  link.querySelectorAll(".review-box-overlay").forEach((box) => {
    const copy = box.cloneNode(true);
    frame.append(copy);
    place(copy);
  });
  viewer.querySelector(".review-viewer-caption").textContent = link.dataset.caption || "";
  viewer.showModal();
}
document.addEventListener("click", (event) => {
  const link = event.target.closest("a.review-original");
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  openOriginal(link);
});

// Shortcuts: keys on elements marked data-shortcut, plus moving between answers.
const answers = [...document.querySelectorAll(".review-message.assistant")];
let current = -1;
function focusAnswer(step) {
  if (!answers.length) return;
  current = Math.max(0, Math.min(answers.length - 1, current + step));
  answers[current].focus();
  answers[current].scrollIntoView({ block: "center" });
}
function press(selector) {
  const element = document.querySelector(selector);
  if (element) element.click();
  return Boolean(element);
}
document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey || viewer.open) return;
  if (event.target.closest("input, textarea, select")) return;
  const key = event.key;
  const answer = document.activeElement.closest && document.activeElement.closest(".review-message.assistant");
  let handled = true;
  if (key === "j") focusAnswer(1);
  else if (key === "k") focusAnswer(-1);
  else if ((key === "g" || key === "b") && answer) {
    answer.querySelector(`[data-verdict="${key === "g" ? "good" : "bad"}"]`).click();
  } else if (key === "t") document.getElementById("conversation-tag").focus();
  else if (key === "e") document.getElementById("decision-note").focus();
  else if (key === "o") handled = press("a.review-original");
  else if (key === "?") document.getElementById("review-shortcuts").scrollIntoView();
  else if (key === "n") window.location.href = page.dataset.nextUrl;
  else handled = press(`[data-shortcut="${CSS.escape(key)}"]`);
  if (handled) event.preventDefault();
});
