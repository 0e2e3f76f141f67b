import assert from "node:assert/strict";
import { test } from "node:test";

import { AttachmentList, fileRefusal } from "../../static/js/chat/attachmentlist.js";

test("fileRefusal lets a PDF or TIFF through up to the documents' limit", () => {
  const pdf = new File([new Uint8Array(3000)], "contract.pdf", { type: "application/pdf" });
  const tiff = new File([new Uint8Array(10)], "fax.tif", { type: "image/tiff" });
  assert.equal(fileRefusal(pdf, 1000, 5000), "");
  assert.equal(fileRefusal(tiff, 1000, 5000), "");
  assert.equal(fileRefusal(pdf, 1000, 2000), "“contract.pdf” is 3 KB; documents must be at most 2 KB.");
});

const page = (n) => ({ id: "p" + n, page: n, thumbnail_url: "/t" + n, estimates: {} });

function documentList({ maxImages = 3, answers = [] } = {}) {
  const asked = [];
  const list = new AttachmentList({
    maxImages,
    maxBytes: 1000,
    maxDocumentBytes: 100000,
    post: () => ({
      done: Promise.resolve({
        ok: true,
        status: 201,
        body: { document: { id: "d", name: "contract.pdf", url: "/documents/d/", page_count: 5, status: "rendering", pages: [page(1)] } },
      }),
      abort() {},
    }),
    view: { draw() {}, progress() {}, erase() {}, clear() {} },
    notice() {},
    defaultDetail: () => "high",
    getJson: async (url) => {
      asked.push(url);
      return answers.shift();
    },
    pollMs: 1,
  });
  return { list, asked };
}

// Until the tile's document has stopped rendering (or two seconds).
async function settled(list) {
  for (let waited = 0; waited < 2000; waited += 5) {
    const tile = list.items[0];
    if (tile && tile.document && tile.document.status !== "rendering") return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test("a document's tile chooses the pages that fit and waits for them to render", async () => {
  const { list, asked } = documentList({
    answers: [
      { document: { url: "/documents/d/", page_count: 5, status: "rendering", pages: [page(2)] } },
      { document: { url: "/documents/d/", page_count: 5, status: "ready", pages: [page(3), page(4), page(5)] } },
    ],
  });
  list.addFiles([new File(["%PDF-"], "contract.pdf", { type: "application/pdf" })]);
  await settled(list);

  const [tile] = list.items;
  assert.equal(tile.info, "contract.pdf · 5 pages");
  assert.deepEqual(tile.chosen, [1, 2, 3]);
  assert.match(tile.moreThanRoom, /at most 3 images, so pages 1-3 of 5 are chosen/);
  assert.deepEqual(asked, ["/documents/d/?after=1", "/documents/d/?after=2"]);
  assert.equal(list.isUploading(), false);
  assert.deepEqual(list.readyImages(), [
    { id: "p1", detail: "high" },
    { id: "p2", detail: "high" },
    { id: "p3", detail: "high" },
  ]);

  list.choosePages(tile, [3, 1]);
  assert.deepEqual(list.readyImages().map((i) => i.id), ["p1", "p3"]);
  assert.equal(list.kept(), 2);
});

test("a document whose rendering fails shows the server's sentence", async () => {
  const { list } = documentList({
    answers: [{ document: { url: "/documents/d/", page_count: 5, status: "failed", error: "“contract.pdf” took too long.", pages: [] } }],
  });
  list.addFiles([new File(["%PDF-"], "contract.pdf", { type: "application/pdf" })]);
  await settled(list);

  assert.equal(list.items[0].status, "failed");
  assert.equal(list.items[0].error, "“contract.pdf” took too long.");
  assert.deepEqual(list.readyImages(), []);
});
