// "Your images": the next 60 are fetched as the reader nears the end of the
// list (or presses "Show older images"), drawn like the server's tiles
// (templates/studio/image_tile.html), text set with textContent.

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
  img.alt = (image.name || "image") + ", " + image.kind + ", in “" + image.conversation + "”";
  img.loading = "lazy";
  img.width = img.height = 160;
  link.append(img);
  const caption = document.createElement("span");
  caption.className = "gallery-caption";
  caption.textContent = image.kind[0].toUpperCase() + image.kind.slice(1) + " · " + image.width + "×" + image.height;
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
  more.textContent = "Loading…";
  try {
    const response = await fetch(root.dataset.nextUrl + "&before=" + more.dataset.before, { credentials: "same-origin" });
    const data = await response.json();
    if (!response.ok) throw new Error(data.error);
    gallery.append(...data.images.map(tile));
    more.dataset.before = data.before;
    more.hidden = !data.more;
    more.textContent = "Show older images";
  } catch {
    more.textContent = "Loading failed: try again";
  } finally {
    loading = false;
  }
}

more.addEventListener("click", loadMore);
new IntersectionObserver(function (entries) {
  if (entries.some((entry) => entry.isIntersecting)) loadMore();
}, { rootMargin: "400px" }).observe(more);
