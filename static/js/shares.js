// The settings' list of share links: each link's Copy button.

import { gettext } from "./chat/i18n.js";

for (const button of document.querySelectorAll(".share-copy")) {
  button.addEventListener("click", async function () {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.textContent = gettext("Copied");
    } catch {
      button.textContent = gettext("Copy failed: select the link");
    }
    setTimeout(() => (button.textContent = gettext("Copy")), 1500);
  });
}
