// "Your images": the next 60 are fetched as the reader nears the end of the
// list (or presses "Show older images"), drawn like the server's tiles
// (templates/studio/image_tile.html), text set with textContent.

import { gettext, interpolate } from "../chat/i18n.js";

const root = document.getElementById("your-images");
const gallery = document.getElementById("gallery");
const more = document.getElementById("gallery-more");
let loading = false;

function tile(image) {
  const item = document.createElement("li");
  item.className = "gallery-item";
  const link = document.createElement("a");
  link.href = image.message_url;
  const img = document.createElement("img");
  img.src = image.thumbnail_url;
  img.alt = interpolate(gettext("%(name)s, %(kind)s, in “%(conversation)s”"), {
    name: image.name || gettext("image"), kind: image.kind_label.toLowerCase(), conversation: image.conversation,
  });
  img.loading = "lazy";
  img.width = img.height = 160;
  link.append(img);
  const caption = document.createElement("span");
  caption.className = "gallery-caption";
  caption.textContent = image.kind_label + " · " + image.width + "×" + image.height;
  const conversation = document.createElement("a");
  conversation.className = "gallery-conversation";
  conversation.href = image.message_url;
  conversation.textContent = image.conversation;
  item.append(link, caption, conversation);
  return item;
}

async function loadMore() {
  if (loading || more.hidden) return;
  loading = true;
  more.textContent = gettext("Loading…");
  try {
    const response = await fetch(root.dataset.nextUrl + "&before=" + more.dataset.before, { credentials: "same-origin" });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error);
    gallery.append(...data.images.map(tile));
    more.dataset.before = data.before;
    more.hidden = !data.more;
    more.textContent = gettext("Show older images");
  } catch {
    more.textContent = gettext("Loading failed: try again");
  } finally {
    loading = false;
  }
}

more.addEventListener("click", loadMore);
new IntersectionObserver(function (entries) {
  if (entries.some((entry) => entry.isIntersecting)) loadMore();
}, { rootMargin: "400px" }).observe(more);
