// The list of conversations beside the transcript.

const title = document.getElementById("conversation-title");

// A conversation joins the sidebar with its first message.
export function showInSidebar(text) {
  const list = document.querySelector(".conversation-list");
  if (list.querySelector('[aria-current="page"]')) return;
  const name = text.split(/\s+/).join(" ").trim().slice(0, 60) || "Image conversation";
  if (title.textContent === "New conversation") title.textContent = name;
  const link = document.createElement("a");
  link.href = location.pathname;
  link.setAttribute("aria-current", "page");
  link.textContent = name;
  list.querySelector("p.muted")?.remove();
  list.prepend(link);
}
