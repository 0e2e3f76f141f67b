import assert from "node:assert/strict";
import { afterEach, beforeEach, mock, test } from "node:test";

import { catchup } from "../../static/js/chat/catchup.js";

let sent;
let reopened;
let page;

beforeEach(() => {
  mock.timers.enable({ apis: ["setTimeout"] });
  sent = [];
  reopened = 0;
  page = catchup({
    send: (frame) => sent.push(frame),
    reopen: () => (reopened += 1),
    shown: () => [[1, 1], [2, 1]],
  });
});

afterEach(() => mock.timers.reset());

const token = { type: "token", message: 2, offset: 0, text: "Hi" };

test("outside a catch-up every event is handled at once", () => {
  assert.deepEqual(page.arrived(token), [token]);
  assert.deepEqual(page.arrived({ type: "message" }), [{ type: "message" }]);
});

test("resume tells the server what the page shows", () => {
  page.resume();
  assert.deepEqual(sent, [{ action: "resume", shown: [[1, 1], [2, 1]] }]);
});

test("events the path covers are dropped and streaming text is held until its last part", () => {
  page.resume();
  assert.deepEqual(page.arrived({ type: "message" }), []);
  assert.deepEqual(page.arrived({ type: "done", message: { id: 2 } }), []);
  assert.deepEqual(page.arrived(token), []);
  assert.deepEqual(page.arrived({ type: "conversation" }), [{ type: "conversation" }]);
  const first = { type: "path", resume: true, more: true, messages: [] };
  assert.deepEqual(page.arrived(first), [first]);
  assert.deepEqual(page.arrived(token), []);

  const last = { type: "path", resume: true, messages: [] };
  assert.deepEqual(page.arrived(last), [last, token, token]);
  assert.deepEqual(page.arrived(token), [token]); // caught up
});

test("a refusal of our own send is not covered by the path", () => {
  page.resume();
  const refusal = { type: "error", error: "Slow down." };
  assert.deepEqual(page.arrived(refusal), [refusal]);
  assert.deepEqual(page.arrived({ type: "error", message: { id: 2 } }), []);
});

test("a socket that does not answer resume is reopened", () => {
  page.resume();
  mock.timers.tick(14_999);
  assert.equal(reopened, 0);
  mock.timers.tick(1);
  assert.equal(reopened, 1);
});

test("an answered resume, or a closed socket, stops the watchdog", () => {
  page.resume();
  page.arrived({ type: "path", resume: true, messages: [] });
  page.closed();
  page.resume();
  page.closed();
  mock.timers.tick(60_000);
  assert.equal(reopened, 0);
});

test("a closed socket forgets what it held", () => {
  page.resume();
  page.arrived(token);
  page.closed();
  assert.deepEqual(page.arrived(token), [token]);
});
