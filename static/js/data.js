// Your data: an archive being built shows its link once ready (the page
// reloads when the server says so).

for (const item of document.querySelectorAll('.export-item[data-status="working"]')) {
  const timer = setInterval(async function () {
    const response = await fetch(item.dataset.statusUrl, { credentials: "same-origin" });
    if (response.ok && (await response.json()).status !== "working") {
      clearInterval(timer);
      location.reload();
    }
  }, 2000);
}
