// Mark up an attached image before sending: arrows, rectangles, ellipses,
// freehand lines and text labels in a few colours, with undo and redo, by
// mouse or finger (pointer events; the canvas takes no touch scrolling). The
// drawing is made on the image's display copy (at most 2048 px, what a model
// sees at high detail) and stored by the server as a new image of the
// person's that knows its source and its marks (chat/studio/markup.py); the
// person sends the marked copy, the original, or both.

import { gettext, interpolate } from "./i18n.js";
import { History, drawMark, lineWidth, summary } from "./marks.js";
import { csrfToken } from "./page.js";

const dialog = document.getElementById("markup-dialog");
const canvas = dialog.querySelector(".markup-canvas");
const context = canvas.getContext("2d");
const problem = dialog.querySelector(".markup-problem");
const undoButton = dialog.querySelector(".markup-undo");
const redoButton = dialog.querySelector(".markup-redo");
const labelRow = dialog.querySelector(".markup-label");
const labelText = dialog.querySelector(".markup-text");
const doneButton = dialog.querySelector(".markup-done");

let picture = null; // the loaded image
let image = null; // its payload
let history = new History();
let drawing = null; // the mark being drawn
let width = 4;
let onDone = () => {};

const chosen = (name) => dialog.querySelector("input[name=" + name + "]:checked").value;

function redraw() {
  context.drawImage(picture, 0, 0);
  for (const mark of history.marks) drawMark(context, mark, width);
  if (drawing) drawMark(context, drawing, width);
  undoButton.disabled = !history.canUndo;
  redoButton.disabled = !history.canRedo;
}

// A pointer's place in the image's own pixels.
function at(event) {
  const box = canvas.getBoundingClientRect();
  return [
    Math.round(((event.clientX - box.left) * canvas.width) / box.width),
    Math.round(((event.clientY - box.top) * canvas.height) / box.height),
  ];
}

function pointerDown(event) {
  if (!picture || event.button > 0) return;
  event.preventDefault();
  const shape = chosen("markup-shape");
  const mark = { shape: shape, colour: chosen("markup-colour"), points: [at(event)] };
  if (shape === "text") {
    const text = labelText.value.trim();
    if (!text) {
      labelText.focus();
      return;
    }
    history.add({ ...mark, text: text });
    redraw();
    return;
  }
  drawing = mark;
  canvas.setPointerCapture(event.pointerId);
}

function pointerMove(event) {
  if (!drawing) return;
  const point = at(event);
  if (drawing.shape === "freehand") drawing.points.push(point);
  else drawing.points[1] = point;
  redraw();
}

function pointerUp() {
  if (!drawing) return;
  // A tap with a two-point shape draws nothing.
  if (drawing.points.length > 1) history.add(drawing);
  drawing = null;
  redraw();
}

async function done() {
  const send = chosen("markup-send");
  if (send === "original" || !history.canUndo) {
    dialog.close();
    return;
  }
  doneButton.disabled = true;
  const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  const form = new FormData();
  form.append("file", blob, "marked.png");
  form.append("marks", JSON.stringify(summary(history.marks)));
  try {
    const response = await fetch(image.markup_url, {
      method: "POST", body: form, headers: { "X-CSRFToken": csrfToken() }, credentials: "same-origin",
    });
    const data = await response.json().catch(() => ({ error: gettext("The server did not answer.") }));
    if (!response.ok) throw new Error(data.error);
    onDone(data, send);
    dialog.close();
  } catch (error) {
    problem.textContent = interpolate(gettext("The marked copy was not saved: %(error)s"), { error: error.message });
    problem.hidden = false;
  } finally {
    doneButton.disabled = false;
  }
}

// Mark up `target` (an image payload); `whenDone(marked payload, "marked" | "both")`.
export function open(target, whenDone) {
  image = target;
  onDone = whenDone;
  history = new History();
  drawing = null;
  problem.hidden = true;
  dialog.querySelector(".markup-name").textContent = target.name || gettext("the image");
  // Drawing starts once the picture is in: marks made on the empty canvas
  // before it loaded would be stored at the canvas's default 300×150.
  picture = null;
  context.clearRect(0, 0, canvas.width, canvas.height);
  const loading = new Image();
  loading.addEventListener("load", function () {
    if (image !== target) return; // another image was opened meanwhile
    picture = loading;
    canvas.width = picture.naturalWidth;
    canvas.height = picture.naturalHeight;
    width = lineWidth(canvas.width, canvas.height);
    redraw();
  });
  loading.addEventListener("error", function () {
    problem.textContent = gettext("The image could not be loaded for drawing.");
    problem.hidden = false;
  });
  loading.src = target.display_url || target.url;
  dialog.showModal();
}

export function start() {
  canvas.addEventListener("pointerdown", pointerDown);
  canvas.addEventListener("pointermove", pointerMove);
  canvas.addEventListener("pointerup", pointerUp);
  canvas.addEventListener("pointercancel", pointerUp);
  undoButton.addEventListener("click", function () {
    history.undo();
    redraw();
  });
  redoButton.addEventListener("click", function () {
    history.redo();
    redraw();
  });
  dialog.addEventListener("keydown", function (event) {
    if (!(event.ctrlKey || event.metaKey) || event.key.toLowerCase() !== "z" || event.target === labelText) return;
    event.preventDefault();
    if (event.shiftKey) history.redo();
    else history.undo();
    redraw();
  });
  dialog.addEventListener("change", function () {
    labelRow.hidden = chosen("markup-shape") !== "text";
  });
  dialog.querySelector(".markup-cancel").addEventListener("click", () => dialog.close());
  doneButton.addEventListener("click", done);
}
