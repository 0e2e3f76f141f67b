import assert from "node:assert/strict";
import { test } from "node:test";

import { History, arrowHead, drawMark, lineWidth, summary } from "../../static/js/chat/marks.js";

// A 2D context that records the calls made on it.
function recorder() {
  const calls = [];
  const context = new Proxy(
    {},
    {
      get: (target, name) => (name in target ? target[name] : (...args) => calls.push([name, ...args])),
      set: (target, name, value) => ((target[name] = value), true),
    },
  );
  return { context, calls };
}

test("undo takes the last mark back, redo puts it again, a new mark forgets what was undone", () => {
  const history = new History();
  history.add({ shape: "arrow" });
  history.add({ shape: "rectangle" });
  history.undo();
  assert.deepEqual(history.marks.map((m) => m.shape), ["arrow"]);
  assert.ok(history.canRedo);
  history.redo();
  assert.deepEqual(history.marks.map((m) => m.shape), ["arrow", "rectangle"]);
  history.undo();
  history.add({ shape: "ellipse" });
  assert.ok(!history.canRedo);
  assert.deepEqual(history.marks.map((m) => m.shape), ["arrow", "ellipse"]);
  history.undo();
  history.undo();
  history.undo(); // nothing left: no harm
  assert.ok(!history.canUndo);
});

test("an arrow's head points back along the arrow", () => {
  const [left, right] = arrowHead([0, 0], [100, 0], 10);
  assert.ok(left[0] < 100 && right[0] < 100);
  assert.ok(Math.abs(left[1] + right[1]) < 1e-9); // symmetric about the shaft
});

test("the pen grows with the image", () => {
  assert.equal(lineWidth(400, 300), 3);
  assert.equal(lineWidth(4000, 3000), 16);
});

test("a rectangle is stroked from its start to its end in its colour", () => {
  const { context, calls } = recorder();
  drawMark(context, { shape: "rectangle", colour: "blue", points: [[10, 20], [50, 60]] }, 4);
  assert.deepEqual(calls.find((c) => c[0] === "rect"), ["rect", 10, 20, 40, 40]);
  assert.equal(context.strokeStyle, "#1f5fe0");
  assert.ok(calls.some((c) => c[0] === "stroke"));
});

test("a label is written with a halo", () => {
  const { context, calls } = recorder();
  drawMark(context, { shape: "text", colour: "red", points: [[5, 5]], text: "door" }, 4);
  assert.deepEqual(calls.filter((c) => c[0].endsWith("Text")).map((c) => c[0]), ["strokeText", "fillText"]);
});

test("the summary keeps shapes, colours and labels, not points", () => {
  const marks = [
    { shape: "arrow", colour: "red", points: [[0, 0], [1, 1]] },
    { shape: "text", colour: "blue", points: [[3, 3]], text: "here" },
  ];
  assert.deepEqual(summary(marks), [
    { shape: "arrow", colour: "red" },
    { shape: "text", colour: "blue", text: "here" },
  ]);
});
