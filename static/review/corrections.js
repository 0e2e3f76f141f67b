// Corrections on the review page: the preview of the Markdown being written,
// rendered by the server through the same sanitizer as the answers.

const page = document.querySelector(".review");

async function showPreview(form) {
  const box = form.querySelector(".review-correction-preview");
  const body = new FormData();
  body.append("text", form.querySelector("[data-correction-text]").value);
  const response = await fetch(page.dataset.previewUrl, {
    method: "POST",
    body,
    headers: { "X-CSRFToken": form.querySelector("[name=csrfmiddlewaretoken]").value },
    credentials: "same-origin",
  });
  const answer = await response.json();
  box.hidden = false;
  if (answer.error) box.textContent = answer.error;
  else box.innerHTML = answer.html; // sanitized on the server (chat.markdown.render)
}

document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-correction-preview]");
  if (button) showPreview(button.closest("form"));
});

// "c" on a focused answer: write its correction.
document.addEventListener("keydown", (event) => {
  if (event.key !== "c" || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.target.closest("input, textarea, select")) return;
  const answer = document.activeElement.closest && document.activeElement.closest(".review-message.assistant");
  if (!answer) return;
  event.preventDefault();
  answer.querySelector("[data-correction-text]").focus();
});
