// The page picker: a document's pages as thumbnails with their token
// estimates and whether they have a text layer, chosen one by one, all, none
// or as ranges ("1-3, 7"), with the total. The choice goes back to the
// attachment list (attachmentlist.js: choosePages).

import { formatNumber, gettext, interpolate } from "./i18n.js";
import { postForm } from "./page.js";
import { showNotice } from "./notice.js";
import { formatRanges, parseRanges, selectionSummary } from "./pages.js";

const dialog = document.getElementById("page-picker");
const title = dialog.querySelector(".page-picker-title");
const grid = dialog.querySelector(".page-grid");
const rangesInput = dialog.querySelector(".page-ranges");
const summary = dialog.querySelector(".page-summary");
const problem = dialog.querySelector(".page-problem");
const textLayer = dialog.querySelector(".page-text-layer");
const sendText = dialog.querySelector(".page-send-text");
const textCount = dialog.querySelector(".page-text-count");

let current = null; // {list, attachment, tokensOf, chosen: Set}

function draw() {
  const { attachment, tokensOf, chosen, list } = current;
  const document_ = attachment.document;
  const room = list.roomForPages(attachment);
  const picked = [...chosen].sort((a, b) => a - b);
  summary.textContent = selectionSummary(picked, document_.page_count, tokensOf);
  problem.textContent = picked.length > room
    ? interpolate(gettext("A message carries at most %(room)s more images; choose fewer pages."), { room: room })
    : "";
  dialog.querySelector(".page-done").disabled = picked.length > room || !picked.length;
  for (const box of grid.querySelectorAll("input[type=checkbox]")) box.checked = chosen.has(Number(box.value));
}

// A page of the grid; `page` is its image payload, undefined while it renders.
function pageItem(number, page) {
  const item = document.createElement("li");
  const label = document.createElement("label");
  const box = document.createElement("input");
  box.type = "checkbox";
  box.value = number;
  box.addEventListener("change", function () {
    if (box.checked) current.chosen.add(number);
    else current.chosen.delete(number);
    rangesInput.value = formatRanges(current.chosen);
    draw();
  });
  const img = document.createElement("img");
  if (page) img.src = page.thumbnail_url;
  img.alt = page ? interpolate(gettext("Page %(number)s"), { number: number }) : "";
  img.loading = "lazy";
  const caption = document.createElement("span");
  const tokens = page ? current.tokensOf(number) : 0;
  caption.textContent = [
    interpolate(gettext("Page %(number)s"), { number: number }),
    !page && gettext("rendering…"),
    tokens && interpolate(gettext("≈ %(count)s tokens"), { count: formatNumber(tokens) }),
    page && page.has_text && gettext("text"),
  ].filter(Boolean).join(" · ");
  label.append(box, img, caption);
  item.append(label);
  return item;
}

function drawGrid() {
  const document_ = current.attachment.document;
  const byNumber = new Map(document_.pages.map((p) => [p.page, p]));
  const numbers = Array.from({ length: document_.page_count }, (_, i) => i + 1);
  grid.replaceChildren(...numbers.map((n) => pageItem(n, byNumber.get(n))));
}

// The text-layer choice, offered when some page has one (born-digital PDFs;
// scans have none): cheaper and more exact text, the images still carry the layout.
function drawTextLayer() {
  const document_ = current.attachment.document;
  const withText = document_.pages.filter((p) => p.has_text).length;
  textLayer.hidden = withText === 0;
  textCount.textContent = interpolate(gettext("(%(withText)s of %(count)s pages have text)"), {
    withText: withText, count: document_.page_count,
  });
  sendText.checked = Boolean(document_.send_text);
}

// While the picker is open on `attachment`, its pages as they render.
export function refresh(attachment) {
  if (!dialog.open || !current || current.attachment !== attachment) return;
  drawGrid();
  const checked = sendText.checked;
  drawTextLayer();
  sendText.checked = checked;
  draw();
}

// Open the picker on a document's tile; `tokensOf(pageNumber)` is its estimate.
export function open(list, attachment, tokensOf) {
  current = { list, attachment, tokensOf, chosen: new Set(attachment.chosen) };
  title.textContent = interpolate(gettext("Pages of %(name)s"), { name: attachment.document.name });
  drawGrid();
  rangesInput.value = formatRanges(current.chosen);
  drawTextLayer();
  draw();
  dialog.showModal();
}

function applyRanges() {
  const parsed = parseRanges(rangesInput.value, current.attachment.document.page_count);
  if (parsed.error) {
    problem.textContent = parsed.error;
    return;
  }
  current.chosen = new Set(parsed);
  draw();
}

dialog.querySelector(".page-all").addEventListener("click", function () {
  const count = current.attachment.document.page_count;
  current.chosen = new Set(Array.from({ length: count }, (_, i) => i + 1));
  rangesInput.value = formatRanges(current.chosen);
  draw();
});
dialog.querySelector(".page-none").addEventListener("click", function () {
  current.chosen = new Set();
  rangesInput.value = "";
  draw();
});
dialog.querySelector(".page-apply").addEventListener("click", applyRanges);
rangesInput.addEventListener("keydown", function (event) {
  if (event.key === "Enter") {
    event.preventDefault();
    applyRanges();
  }
});
dialog.querySelector(".page-cancel").addEventListener("click", () => dialog.close());
dialog.querySelector(".page-done").addEventListener("click", async function () {
  const { list, attachment, chosen } = current;
  if (!textLayer.hidden && sendText.checked !== Boolean(attachment.document.send_text)) {
    const form = new FormData();
    form.append("send_text", sendText.checked ? "true" : "false");
    const response = await postForm(attachment.document.text_url, form).catch(() => null);
    if (response && response.ok) attachment.document.send_text = (await response.json()).send_text;
    else showNotice(gettext("The text-layer choice was not saved; try again."));
  }
  list.choosePages(attachment, chosen);
  dialog.close();
});
