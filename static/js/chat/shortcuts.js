// Keyboard shortcuts, listed in the dialog that "?" or the sidebar's
// "Keyboard shortcuts" opens: Esc stops the answer, Ctrl/Cmd+Shift+O starts a
// new conversation, Shift+Esc or "/" puts the cursor in the message box.

import * as composer from "./composer.js";

const dialog = document.getElementById("shortcuts-dialog");

// Keys typed into a field are the field's, except in the message box for Esc.
function inField(target) {
  return target instanceof Element && !!target.closest("input, select, textarea, [contenteditable]");
}

function onKey(event) {
  if (event.defaultPrevented || event.isComposing) return;
  const key = event.key;
  if ((event.ctrlKey || event.metaKey) && event.shiftKey && key.toLowerCase() === "o") {
    event.preventDefault();
    document.querySelector(".new-conversation").click();
    return;
  }
  if (document.querySelector("dialog[open]")) return; // Esc closes the dialog
  if (key === "Escape" && event.shiftKey) {
    event.preventDefault();
    composer.focus();
  } else if (key === "Escape") {
    if ((!inField(event.target) || event.target.id === "message-text") && composer.stop()) {
      event.preventDefault();
    }
  } else if (!inField(event.target) && !event.ctrlKey && !event.metaKey && !event.altKey) {
    if (key === "/") {
      event.preventDefault();
      composer.focus();
    } else if (key === "?") {
      event.preventDefault();
      dialog.showModal();
    }
  }
}

export function start() {
  document.addEventListener("keydown", onKey);
  document.getElementById("shortcuts-open").addEventListener("click", () => dialog.showModal());
}
