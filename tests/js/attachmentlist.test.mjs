import assert from "node:assert/strict";
import { test } from "node:test";

import { AttachmentList, describe, fileRefusal, roomRefusal } from "../../static/js/chat/attachmentlist.js";

test("roomRefusal names every image over the limit", () => {
  assert.equal(roomRefusal(["a.png"], 9, 10), "");
  assert.equal(roomRefusal(["a.png"], 10, 10), "A message can carry at most 10 images; “a.png” was not added.");
  assert.equal(
    roomRefusal(["a.png", "b.png", "c.png", "d.png"], 8, 10),
    "A message can carry at most 10 images; “c.png” and “d.png” were not added.",
  );
  assert.equal(
    roomRefusal(["a.png", "b.png", "c.png"], 12, 10),
    "A message can carry at most 10 images; “a.png”, “b.png” and “c.png” were not added.",
  );
});

test("fileRefusal turns away a non-image and a file too big", () => {
  const text = new File(["hello"], "notes.txt", { type: "text/plain" });
  const big = new File([new Uint8Array(2 * 1048576 + 1)], "huge.png", { type: "image/png" });
  const fine = new File([new Uint8Array(10)], "fine.png", { type: "image/png" });
  assert.equal(fileRefusal(text, 2 * 1048576), "“notes.txt” is not an image or a document. Attach PNG, JPEG, GIF, WebP or HEIC images, or PDF or TIFF documents.");
  assert.equal(fileRefusal(big, 2 * 1048576), "“huge.png” is 2.0 MB; images must be at most 2.0 MB.");
  assert.equal(fileRefusal(fine, 2 * 1048576), "");
});

test("describe says what the server made of an image", () => {
  assert.equal(describe({ format: "PNG", width: 64, height: 48, size: 900 }), "PNG 64×48 · 1 KB");
  assert.equal(describe({ format: "HEIF", width: 4032, height: 3024, size: 1572864 }), "HEIC → JPEG 4032×3024 · 1.5 MB");
  assert.equal(describe({ format: "PNG", crop_box: [0, 0, 8, 8], width: 8, height: 8, size: 100 }), "Zoomed region 8×8 · 1 KB");
});

// A list whose uploads the test answers by hand, with a view that records.
function harness({ maxImages = 3 } = {}) {
  const uploads = [];
  const notices = [];
  const drawn = [];
  const list = new AttachmentList({
    maxImages: maxImages,
    maxBytes: 1000,
    post(attachment, form, onProgress) {
      let settle;
      const done = new Promise((resolve, reject) => (settle = { resolve, reject }));
      const upload = { attachment, form, onProgress, settle, aborted: false, done };
      uploads.push(upload);
      return { done, abort: () => (upload.aborted = true) };
    },
    view: {
      draw: (a) => drawn.push([a.name, a.status]),
      progress: (a) => drawn.push([a.name, "progress " + a.progress]),
      erase: (a) => drawn.push([a.name, "erased"]),
      clear: () => drawn.push(["*", "cleared"]),
    },
    notice: (text) => notices.push(text),
    defaultDetail: () => "auto",
  });
  return { list, uploads, notices, drawn };
}

const png = (name) => new File([new Uint8Array(10)], name, { type: "image/png" });
const stored = (id, name) => ({ id, name, format: "PNG", width: 64, height: 48, size: 900, thumbnail_url: "/images/" + id + "/thumb" });

test("a file is uploaded with its progress and then ready to send", async () => {
  const { list, uploads, drawn } = harness();
  list.addFiles([png("red.png")]);
  assert.equal(list.isUploading(), true);
  assert.equal(uploads[0].form.get("detail"), "auto");

  uploads[0].onProgress(0.5);
  uploads[0].settle.resolve({ ok: true, status: 200, body: stored("i1", "red.png") });
  await uploads[0].done;
  await Promise.resolve();

  assert.equal(list.isUploading(), false);
  assert.deepEqual(list.readyImages(), [{ id: "i1", detail: "auto" }]);
  assert.deepEqual(drawn, [["red.png", "uploading"], ["red.png", "progress 0.5"], ["red.png", "ready"]]);
});

test("images over the limit are refused with a sentence, and not uploaded", () => {
  const { list, uploads, notices } = harness({ maxImages: 3 });
  list.addReady(stored("i1", "one.png"), "low");
  list.addReady(stored("i2", "two.png"), "high");
  list.addFiles([png("three.png"), png("four.png")]);
  assert.equal(uploads.length, 1);
  assert.deepEqual(notices, ["A message can carry at most 3 images; “four.png” was not added."]);
});

test("a failed upload can be retried, if there is room for it", async () => {
  const { list, uploads, notices } = harness({ maxImages: 1 });
  list.addFiles([png("flaky.png")]);
  uploads[0].settle.reject(new Error("The upload failed: the connection to the server broke off."));
  await uploads[0].done.catch(() => {});
  await Promise.resolve();
  const [flaky] = list.items;
  assert.equal(flaky.status, "failed");
  assert.equal(flaky.error, "The upload failed: the connection to the server broke off.");

  // A failed image takes no room: another one fits, and then the retry does not.
  list.addStored(stored("i9", "region.png"));
  list.retry(flaky);
  assert.equal(uploads.length, 1);
  assert.equal(notices.at(-1), "A message can carry at most 1 images; “flaky.png” was not added.");

  list.remove(list.items[1]);
  list.retry(flaky);
  assert.equal(uploads.length, 2);
  assert.equal(flaky.status, "uploading");
});

test("the server's refusal is the tile's error", async () => {
  const { list, uploads } = harness();
  list.addFiles([png("notes.png")]);
  uploads[0].settle.resolve({ ok: false, status: 400, body: { error: "“notes.png” is not an image we can read." } });
  await uploads[0].done;
  await Promise.resolve();
  assert.equal(list.items[0].error, "“notes.png” is not an image we can read.");
  assert.deepEqual(list.readyImages(), []);
});

test("an image removed while it uploads is not drawn again", async () => {
  const { list, uploads, drawn } = harness();
  list.addFiles([png("gone.png")]);
  list.remove(list.items[0]);
  assert.equal(uploads[0].aborted, true);
  uploads[0].settle.resolve({ ok: true, status: 200, body: stored("i1", "gone.png") });
  await uploads[0].done;
  await Promise.resolve();
  assert.deepEqual(drawn.at(-1), ["gone.png", "erased"]);
  assert.deepEqual(list.items, []);
});

test("only https image URLs are fetched", () => {
  const { list, uploads, notices } = harness();
  list.addUrl("http://example.com/cat.png");
  assert.deepEqual(notices.at(-1), "Only https:// image URLs can be added.");
  list.addUrl("https://example.com/cat.png");
  assert.equal(uploads[0].form.get("url"), "https://example.com/cat.png");
});

test("an image keeps its own detail, else the list's", () => {
  const { list } = harness();
  list.addReady(stored("i1", "one.png"), "high");
  list.addReady(stored("i2", "two.png"), null);
  assert.deepEqual(list.readyImages(), [{ id: "i1", detail: "high" }, { id: "i2", detail: "auto" }]);
  assert.deepEqual(list.draftImages().map((image) => image.detail), ["high", null]);
});
