// The sidebar as a drawer in the phone layout (conversation.css, under 720 px):
// the header's button opens it over the page; Esc, the backdrop or its close
// button shuts it. While it is open the rest of the page is inert, so focus
// and screen readers stay in it; on closing, focus goes back to the button.

const sidebar = document.getElementById("sidebar");
const main = document.getElementById("conversation");
const toggle = document.getElementById("drawer-toggle");
const closeButton = document.getElementById("drawer-close");
const backdrop = document.getElementById("drawer-backdrop");
const phoneLayout = window.matchMedia("(max-width: 720px)");

function isOpen() {
  return sidebar.classList.contains("open");
}

function open() {
  sidebar.classList.add("open");
  backdrop.hidden = false;
  main.inert = true;
  toggle.setAttribute("aria-expanded", "true");
  document.getElementById("conversation-search").focus();
}

function close({ restoreFocus = true } = {}) {
  if (!isOpen()) return;
  sidebar.classList.remove("open");
  backdrop.hidden = true;
  main.inert = false;
  toggle.setAttribute("aria-expanded", "false");
  if (restoreFocus) toggle.focus();
}

export function start() {
  toggle.addEventListener("click", open);
  closeButton.addEventListener("click", () => close());
  backdrop.addEventListener("click", () => close());
  // Captured on the document: focus may have tabbed past the drawer's last
  // control to the body (the page behind is inert), and Esc still closes it.
  document.addEventListener("keydown", function (event) {
    // Only the drawer's Esc: the page's own Esc (stop an answer) is not for it.
    if (event.key === "Escape" && isOpen() && !event.target.closest("dialog")) {
      event.stopPropagation();
      close();
    }
  }, true);
  // Turning the phone sideways past the breakpoint leaves no drawer open behind.
  phoneLayout.addEventListener("change", () => close({ restoreFocus: false }));
}
