// Boxes on images: drag on the drawing copy (mouse, pen or touch: pointer
// events) and the box's numbers, in pixels of the original, fill the form
// below; typing the numbers moves the box drawn. Whatever size the copy on
// screen, the scale comes from the original's width and height (data-width,
// data-height), so the stored box is the original's.

// Where each stored box sits, in percent of the image (data-left...): set
// through the style object, since the page's CSP allows no style attribute.
export function place(overlay) {
  for (const side of ["left", "top", "width", "height"]) overlay.style[side] = overlay.dataset[side];
}
document.querySelectorAll(".review-box-overlay").forEach(place);

function scaleOf(surface) {
  const image = surface.querySelector("img");
  const rect = image.getBoundingClientRect();
  return { rect, width: Number(surface.dataset.width), height: Number(surface.dataset.height) };
}

function toOriginal(surface, event) {
  const { rect, width, height } = scaleOf(surface);
  const x = ((event.clientX - rect.left) * width) / rect.width;
  const y = ((event.clientY - rect.top) * height) / rect.height;
  return { x: Math.max(0, Math.min(width, x)), y: Math.max(0, Math.min(height, y)) };
}

function fieldsOf(surface) {
  const form = document.getElementById(surface.dataset.form);
  const field = (name) => form.querySelector(`[data-box-field="${name}"]`);
  return { form, x: field("x"), y: field("y"), width: field("width"), height: field("height") };
}

function showDraft(surface, box) {
  const draft = surface.querySelector(".review-box-draft");
  const width = Number(surface.dataset.width);
  const height = Number(surface.dataset.height);
  if (!(box.width > 0 && box.height > 0)) {
    draft.hidden = true;
    return;
  }
  draft.hidden = false;
  draft.style.left = `${(box.x * 100) / width}%`;
  draft.style.top = `${(box.y * 100) / height}%`;
  draft.style.width = `${(box.width * 100) / width}%`;
  draft.style.height = `${(box.height * 100) / height}%`;
}

function between(start, end) {
  return {
    x: Math.round(Math.min(start.x, end.x)),
    y: Math.round(Math.min(start.y, end.y)),
    width: Math.round(Math.abs(end.x - start.x)),
    height: Math.round(Math.abs(end.y - start.y)),
  };
}

for (const surface of document.querySelectorAll(".review-box-surface")) {
  let start = null;
  const fields = fieldsOf(surface);
  const fill = (box) => {
    for (const name of ["x", "y", "width", "height"]) fields[name].value = box[name];
    showDraft(surface, box);
  };
  surface.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    event.preventDefault();
    surface.setPointerCapture(event.pointerId);
    start = toOriginal(surface, event);
  });
  surface.addEventListener("pointermove", (event) => {
    if (start) fill(between(start, toOriginal(surface, event)));
  });
  const finish = (event) => {
    if (!start) return;
    const box = between(start, toOriginal(surface, event));
    start = null;
    if (box.width > 0 && box.height > 0) {
      fill(box);
      fields.form.querySelector("[name=tag]").focus();
    }
  };
  surface.addEventListener("pointerup", finish);
  surface.addEventListener("pointercancel", () => { start = null; });
  fields.form.addEventListener("input", (event) => {
    if (!event.target.dataset.boxField) return;
    showDraft(surface, {
      x: Number(fields.x.value), y: Number(fields.y.value),
      width: Number(fields.width.value), height: Number(fields.height.value),
    });
  });
}
