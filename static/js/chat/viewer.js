// The image viewer: one image large, with its name and size; zoom (wheel,
// buttons, + and -) and pan (drag); Left and Right move through the images it
// was opened with (a message's, or the composer's); Esc closes it and focus
// goes back to the thumbnail that opened it.
//
// The zoom is a CSS transform set through the CSSOM (element.style), which the
// page's Content-Security-Policy allows; a style attribute it would refuse.
//
// A stored image opens as its display copy (at most 2048 px); the original
// loads on "Original size" or once the zoom passes 100 % of its pixels. Its
// lineage (lineage.js) shows as a strip, with a before/after slider.

import { gettext, interpolate } from "./i18n.js";
import { clipBefore, drawLineage } from "./lineage.js";

const dialog = document.getElementById("image-viewer");
const stage = dialog.querySelector(".viewer-stage");
const picture = dialog.querySelector(".viewer-image");
const problem = dialog.querySelector(".viewer-problem");
const nameLine = dialog.querySelector(".viewer-name");
const details = dialog.querySelector(".viewer-details");
const position = dialog.querySelector(".viewer-position");
const zoomLevel = dialog.querySelector(".viewer-zoom");
const previousButton = dialog.querySelector(".viewer-previous");
const nextButton = dialog.querySelector(".viewer-next");
const openLink = dialog.querySelector(".viewer-open");
const originalButton = dialog.querySelector(".viewer-original");
const compareButton = dialog.querySelector(".viewer-compare-toggle");
const strip = dialog.querySelector(".viewer-lineage");
const before = dialog.querySelector(".viewer-before");
const slider = dialog.querySelector(".viewer-slider");

const STEP = 1.25;
const MAX_SCALE = 16; // times the fitted size

// items: [{src, name, details}]: details is a line such as "640×480 · 95 KB";
// a stored image's also has original, width, height, id and lineageUrl.
let items = [];
let previous = null; // the lineage's step before the image shown, for the comparison
let index = 0;
let opener = null;
let scale = 1; // 1: the whole image fits the stage
let shiftX = 0;
let shiftY = 0;

export function open(list, start, returnFocusTo) {
  items = list;
  opener = returnFocusTo || document.activeElement;
  show(start);
  if (!dialog.open) dialog.showModal();
  dialog.querySelector(".viewer-close").focus();
}

function show(at) {
  index = (at + items.length) % items.length;
  const item = items[index];
  problem.hidden = true;
  picture.hidden = false;
  picture.src = item.src;
  picture.alt = item.name;
  openLink.href = item.original || item.src;
  originalButton.hidden = !item.original || item.original === item.src;
  compare(false);
  previous = null;
  compareButton.hidden = true;
  drawLineage(item, strip, (steps, at) => open(steps, at, opener)).then(function (found) {
    if (items[index] !== item) return; // another image was picked meanwhile
    previous = found;
    compareButton.hidden = !found;
  });
  nameLine.textContent = item.name;
  details.textContent = item.details || "";
  position.textContent = items.length > 1 ? interpolate(gettext("%(position)s of %(count)s"), { position: index + 1, count: items.length }) : "";
  previousButton.hidden = nextButton.hidden = items.length < 2;
  fit();
}

function apply() {
  picture.style.transform = "translate(" + shiftX + "px, " + shiftY + "px) scale(" + scale + ")";
  stage.classList.toggle("zoomed", scale > 1);
  before.style.transform = picture.style.transform;
  // Of the original's pixels (the display copy may have fewer), once it has loaded.
  const natural = picture.complete ? items[index]?.width || picture.naturalWidth : 0;
  const percent = natural ? ((picture.offsetWidth * scale) / natural) * 100 : 0;
  zoomLevel.textContent = natural ? Math.round(percent) + "%" : "";
  if (percent > 100) loadOriginal();
}

// The original's bytes in place of the display copy, the view kept.
function loadOriginal() {
  const item = items[index];
  if (!item?.original || picture.getAttribute("src") === item.original) return;
  picture.src = item.original;
  originalButton.hidden = true;
}

// "Original size": the original, one of its pixels to one of the screen's.
function originalSize() {
  loadOriginal();
  const item = items[index];
  if (!picture.offsetWidth || !item.width) return;
  scale = Math.max(1, item.width / window.devicePixelRatio / picture.offsetWidth);
  shiftX = shiftY = 0;
  apply();
}

function compare(on) {
  stage.classList.toggle("comparing", on);
  slider.hidden = before.hidden = !on;
  compareButton.setAttribute("aria-pressed", String(on));
  if (!on) {
    before.removeAttribute("src");
    return;
  }
  before.src = previous.src;
  before.alt = interpolate(gettext("Before: %(name)s"), { name: previous.name });
  slider.value = 50;
  clipBefore(before, 50);
  apply();
}

function fit() {
  scale = 1;
  shiftX = shiftY = 0;
  apply();
}

// Zoom by `factor`, keeping the point under (x, y) (client coordinates) in place.
function zoom(factor, x, y) {
  const next = Math.min(Math.max(scale * factor, 1), MAX_SCALE);
  if (next === 1) return fit();
  const bounds = stage.getBoundingClientRect();
  const pointX = (x ?? bounds.left + bounds.width / 2) - bounds.left - bounds.width / 2;
  const pointY = (y ?? bounds.top + bounds.height / 2) - bounds.top - bounds.height / 2;
  // The transform's origin is the image's centre, which sits at the stage's.
  shiftX = pointX - ((pointX - shiftX) * next) / scale;
  shiftY = pointY - ((pointY - shiftY) * next) / scale;
  scale = next;
  apply();
}

// Tab and Shift+Tab go round the viewer's own controls.
function trapFocus(event) {
  const controls = [...dialog.querySelectorAll("button, a[href], input")].filter((el) => !el.hidden && !el.closest("[hidden]"));
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}

export function start() {
  previousButton.addEventListener("click", () => show(index - 1));
  nextButton.addEventListener("click", () => show(index + 1));
  dialog.querySelector(".viewer-zoom-in").addEventListener("click", () => zoom(STEP));
  dialog.querySelector(".viewer-zoom-out").addEventListener("click", () => zoom(1 / STEP));
  dialog.querySelector(".viewer-fit").addEventListener("click", fit);
  originalButton.addEventListener("click", originalSize);
  compareButton.addEventListener("click", () => compare(compareButton.getAttribute("aria-pressed") !== "true"));
  slider.addEventListener("input", () => clipBefore(before, Number(slider.value)));
  dialog.querySelector(".viewer-close").addEventListener("click", () => dialog.close());

  dialog.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const actions = {
      ArrowLeft: () => show(index - 1),
      ArrowRight: () => show(index + 1),
      "+": () => zoom(STEP),
      "=": () => zoom(STEP),
      "-": () => zoom(1 / STEP),
      0: fit,
      Tab: () => trapFocus(event),
    };
    const action = actions[event.key];
    if (!action) return;
    if (event.key !== "Tab") event.preventDefault();
    action();
  });
  dialog.addEventListener("close", function () {
    picture.removeAttribute("src");
    compare(false);
    // The thumbnail may have been drawn anew meanwhile (the answer finished):
    // then the message box, rather than nowhere.
    (opener && opener.isConnected ? opener : document.getElementById("message-text")).focus();
    opener = null;
  });
  // A click on the backdrop (outside the dialog's box) closes it too.
  dialog.addEventListener("click", function (event) {
    if (event.target === dialog) dialog.close();
  });

  picture.addEventListener("load", apply); // the percentage needs the natural size
  window.addEventListener("resize", function () {
    if (dialog.open) apply(); // the fitted size, and so the percentage, changed
  });
  picture.addEventListener("error", function () {
    if (!picture.getAttribute("src")) return;
    picture.hidden = true;
    problem.hidden = false;
  });

  stage.addEventListener(
    "wheel",
    function (event) {
      event.preventDefault();
      zoom(Math.exp(-event.deltaY * 0.002), event.clientX, event.clientY);
    },
    { passive: false },
  );
  stage.addEventListener("dblclick", function (event) {
    if (scale > 1) fit();
    else zoom(2.5, event.clientX, event.clientY);
  });

  // Drag to pan a zoomed image.
  let drag = null;
  stage.addEventListener("pointerdown", function (event) {
    if (scale === 1 || event.button !== 0 || event.target === slider) return;
    event.preventDefault();
    drag = { x: event.clientX - shiftX, y: event.clientY - shiftY };
    stage.setPointerCapture(event.pointerId);
    stage.classList.add("dragging");
  });
  stage.addEventListener("pointermove", function (event) {
    if (!drag) return;
    shiftX = event.clientX - drag.x;
    shiftY = event.clientY - drag.y;
    apply();
  });
  const endDrag = function () {
    drag = null;
    stage.classList.remove("dragging");
  };
  stage.addEventListener("pointerup", endDrag);
  stage.addEventListener("pointercancel", endDrag);
}
