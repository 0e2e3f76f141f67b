import assert from "node:assert/strict";
import { test } from "node:test";

import { grow, Streams } from "../../static/js/chat/stream.js";

test("grow appends a token at the end", () => {
  assert.equal(grow("Hello", 5, " world"), "Hello world");
});

test("grow ignores a token already applied", () => {
  assert.equal(grow("Hello world", 5, " world"), "Hello world");
  assert.equal(grow("Hello world", 0, "Hello"), "Hello world");
});

test("grow keeps only the new tail of an overlapping token", () => {
  assert.equal(grow("Hello wo", 5, " world"), "Hello world");
});

test("grow reports a gap as null", () => {
  assert.equal(grow("Hello", 6, "world"), null);
});

test("a streaming answer's text grows token by token, repeats ignored", () => {
  const streams = new Streams();
  streams.start(7, "");
  assert.equal(streams.applyToken({ message: 7, offset: 0, text: "Two " }), "added");
  assert.equal(streams.applyToken({ message: 7, offset: 4, text: "squares." }), "added");
  assert.equal(streams.applyToken({ message: 7, offset: 0, text: "Two " }), null);
  assert.equal(streams.text(7), "Two squares.");
});

test("a token past the end asks for a resync and changes nothing", () => {
  const streams = new Streams();
  streams.start(7, "Two");
  assert.equal(streams.applyToken({ message: 7, offset: 9, text: "late" }), "gap");
  assert.equal(streams.text(7), "Two");
});

test("tokens of an answer that ended here are ignored", () => {
  const streams = new Streams();
  streams.start(7, "Done");
  assert.equal(streams.end(7), true);
  assert.equal(streams.applyToken({ message: 7, offset: 4, text: "!" }), null);
  assert.equal(streams.end(7), false);
});

test("after a reconnect the longer text is kept", () => {
  const streams = new Streams();
  streams.start(7, "Two squares");
  streams.start(7, "Two");
  assert.equal(streams.text(7), "Two squares");
  streams.start(7, "Two squares, side by side");
  assert.equal(streams.text(7), "Two squares, side by side");
});

test("a generated image shows once however often a resync repeats it", () => {
  const streams = new Streams();
  assert.deepEqual(streams.addImage({ message: 7, image: { id: "a" } }), [{ id: "a" }]);
  assert.equal(streams.addImage({ message: 7, image: { id: "a" } }), null);
  assert.deepEqual(streams.addImage({ message: 7, image: { id: "b" } }), [{ id: "a" }, { id: "b" }]);
  streams.end(7);
  assert.deepEqual(streams.imagesOf(7), []);
});

test("a final message in parts is put together in order, once", () => {
  const streams = new Streams();
  streams.addPart({ message: 7, field: "text", offset: 0, text: "Long " });
  streams.addPart({ message: 7, field: "html", offset: 0, text: "<p>Long " });
  streams.addPart({ message: 7, field: "text", offset: 5, text: "answer" });
  streams.addPart({ message: 7, field: "text", offset: 0, text: "Long " }); // a repeat
  streams.addPart({ message: 7, field: "html", offset: 8, text: "answer</p>" });

  const whole = streams.whole({ id: 7, parts: true, status: "complete", text: "", html: "" });

  assert.deepEqual(whole, { id: 7, parts: true, status: "complete", text: "Long answer", html: "<p>Long answer</p>" });
  assert.equal(streams.whole({ id: 7, parts: true }).text, ""); // used up
});

test("a message sent whole is left as it is", () => {
  const message = { id: 7, text: "Short", html: "<p>Short</p>" };
  assert.equal(new Streams().whole(message), message);
});
