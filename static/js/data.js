// Your data: an archive being built or an import running shows its progress,
// and the page reloads once the server says it has ended.

import { gettext, interpolate } from "./chat/i18n.js";

for (const item of document.querySelectorAll('[data-status="working"][data-status-url]')) {
  const timer = setInterval(async function () {
    const response = await fetch(item.dataset.statusUrl, { credentials: "same-origin" });
    if (!response.ok) return;
    const state = await response.json();
    const bar = item.querySelector("progress");
    if (bar && state.total) {
      bar.max = state.total;
      bar.value = state.done;
      item.querySelector(".import-count").textContent = interpolate(gettext("%(done)s of %(total)s"), state);
    }
    if (state.status !== "working") {
      clearInterval(timer);
      location.reload();
    }
  }, 1000);
}
