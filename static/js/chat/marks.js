// The marks drawn on an image (markup.js): what each is, how it is drawn on a
// canvas, and undo/redo. No DOM here but a 2D context handed in, so Node's
// test runner checks it (tests/js/).

export const SHAPES = ["arrow", "rectangle", "ellipse", "freehand", "text"];
export const COLOURS = { red: "#e0201b", yellow: "#f5c400", green: "#12a150", blue: "#1f5fe0", black: "#111111" };

// A mark: {shape, colour, points: [[x, y], ...] in the image's pixels, text}.
// Arrows, rectangles and ellipses have two points (start, end); freehand
// many; text one (its top left).

// The pen's width for an image of this size: visible on a 4000 px photo and
// on a 400 px screenshot alike.
export function lineWidth(width, height) {
  return Math.max(3, Math.round(Math.max(width, height) / 250));
}

// The two barbs of an arrow's head at `end`, pointing away from `start`.
export function arrowHead(start, end, size) {
  const angle = Math.atan2(end[1] - start[1], end[0] - start[0]);
  const barb = (turn) => [end[0] - size * Math.cos(angle + turn), end[1] - size * Math.sin(angle + turn)];
  return [barb(Math.PI / 7), barb(-Math.PI / 7)];
}

export function drawMark(context, mark, width) {
  context.strokeStyle = context.fillStyle = COLOURS[mark.colour] || COLOURS.red;
  context.lineWidth = width;
  context.lineCap = context.lineJoin = "round";
  const [start, end] = [mark.points[0], mark.points[mark.points.length - 1]];
  context.beginPath();
  if (mark.shape === "rectangle") {
    context.rect(start[0], start[1], end[0] - start[0], end[1] - start[1]);
  } else if (mark.shape === "ellipse") {
    const rx = Math.abs(end[0] - start[0]) / 2;
    const ry = Math.abs(end[1] - start[1]) / 2;
    context.ellipse((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, rx, ry, 0, 0, 2 * Math.PI);
  } else if (mark.shape === "arrow") {
    context.moveTo(...start);
    context.lineTo(...end);
    for (const barb of arrowHead(start, end, width * 5)) {
      context.moveTo(...end);
      context.lineTo(...barb);
    }
  } else if (mark.shape === "freehand") {
    context.moveTo(...start);
    for (const point of mark.points.slice(1)) context.lineTo(...point);
  } else if (mark.shape === "text") {
    context.font = "bold " + width * 7 + "px system-ui, sans-serif";
    context.textBaseline = "top";
    context.lineWidth = width * 1.5;
    context.strokeStyle = "#ffffff"; // a halo, readable on any picture
    context.strokeText(mark.text, ...start);
    context.fillText(mark.text, ...start);
    return;
  }
  context.stroke();
}

// Marks with undo and redo: a new mark forgets what was undone.
export class History {
  constructor() {
    this.marks = [];
    this.undone = [];
  }

  add(mark) {
    this.marks.push(mark);
    this.undone = [];
  }

  undo() {
    if (this.marks.length) this.undone.push(this.marks.pop());
  }

  redo() {
    if (this.undone.length) this.marks.push(this.undone.pop());
  }

  get canUndo() {
    return this.marks.length > 0;
  }

  get canRedo() {
    return this.undone.length > 0;
  }
}

// What the server keeps of the marks: their shape, colour and any text, not
// their points (chat/studio/markup.py says them to the model).
export function summary(marks) {
  return marks.map((mark) => (mark.shape === "text" ? { shape: "text", colour: mark.colour, text: mark.text } : { shape: mark.shape, colour: mark.colour }));
}
