// The settings' list of share links: each link's Copy button.

for (const button of document.querySelectorAll(".share-copy")) {
  button.addEventListener("click", async function () {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.textContent = "Copied";
    } catch {
      button.textContent = "Copy failed: select the link";
    }
    setTimeout(() => (button.textContent = "Copy"), 1500);
  });
}
