// The colour theme. The page follows the system's light or dark setting unless
// the person picked one with the switch; the pick is kept in localStorage and
// set as data-theme on <html> (static/css/variables.css reads it). This is a
// classic script loaded in <head>, not a module: it runs before the first
// paint, so a dark page never flashes light on load.
(function () {
  const KEY = "theme";
  const root = document.documentElement;

  function stored() {
    try {
      return localStorage.getItem(KEY);
    } catch {
      return null; // storage blocked: follow the system
    }
  }

  function apply(choice) {
    if (choice === "light" || choice === "dark") root.dataset.theme = choice;
    else delete root.dataset.theme;
    for (const select of document.querySelectorAll("select[data-theme-switch]")) {
      select.value = root.dataset.theme || "system";
    }
  }

  function choose(choice) {
    try {
      if (choice === "system") localStorage.removeItem(KEY);
      else localStorage.setItem(KEY, choice);
    } catch {
      // Not kept, but still applied to this page.
    }
    apply(choice);
  }

  apply(stored());
  document.addEventListener("DOMContentLoaded", () => {
    apply(stored());
    for (const select of document.querySelectorAll("select[data-theme-switch]")) {
      select.addEventListener("change", () => choose(select.value));
    }
  });
  // A pick made in another tab applies here too.
  window.addEventListener("storage", (event) => {
    if (event.key === KEY) apply(event.newValue);
  });
})();
