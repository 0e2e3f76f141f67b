// Scoring from the keyboard: "r" on a focused answer moves to its first score;
// inside a score, 1-5 (a scale), y / n (yes or no) or the first letter of a
// category picks the value, Enter saves (the form's own submit).

function pick(fieldset, key) {
  const inputs = [...fieldset.querySelectorAll("input[type=radio]")];
  const wanted = key.toLowerCase();
  const input = inputs.find((i) => i.value.toLowerCase() === wanted)
    || inputs.find((i) => i.value.toLowerCase().startsWith(wanted));
  if (!input) return false;
  input.checked = true;
  input.focus();
  return true;
}

document.addEventListener("keydown", (event) => {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const fieldset = event.target.closest && event.target.closest(".review-dimension");
  if (fieldset && event.key.length === 1) {
    if (pick(fieldset, event.key)) event.preventDefault();
    event.stopImmediatePropagation(); // not a page shortcut while scoring
    return;
  }
  if (event.key !== "r" || event.target.closest("input, textarea, select")) return;
  const answer = document.activeElement.closest && document.activeElement.closest(".review-message.assistant");
  const first = answer && answer.querySelector(".review-dimension input[type=radio]");
  if (!first) return;
  event.preventDefault();
  (answer.querySelector(".review-dimension input:checked") || first).focus();
}, true);
