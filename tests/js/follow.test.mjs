import assert from "node:assert/strict";
import { test } from "node:test";

import { follower } from "../../static/js/chat/follow.js";

// A transcript 1000 px high in a 200 px window, and frames run by hand.
function page() {
  const scroller = { scrollHeight: 1000, clientHeight: 200, scrollTop: 800 };
  const jump = { hidden: true };
  const frames = [];
  const view = follower(scroller, jump, (callback) => frames.push(callback));
  const paint = () => frames.splice(0).forEach((callback) => callback());
  return { scroller, jump, view, paint };
}

test("growth below is followed while the reader is at the bottom", () => {
  const { scroller, view, paint } = page();
  scroller.scrollHeight = 1300;
  view.follow();
  paint();
  assert.equal(scroller.scrollTop, 1300);
});

test("a scroll up stops following and offers Jump to latest", () => {
  const { scroller, jump, view, paint } = page();
  view.scrolled();
  scroller.scrollTop = 500;
  view.scrolled();
  assert.equal(jump.hidden, false);
  scroller.scrollHeight = 1300;
  view.follow();
  paint();
  assert.equal(scroller.scrollTop, 500);
});

test("growth that moves the view down does not stop following", () => {
  const { scroller, jump, view } = page();
  view.scrolled();
  scroller.scrollHeight = 1300; // anchoring keeps the view, now 300 px from the end
  scroller.scrollTop = 900;
  view.scrolled();
  assert.equal(view.isFollowing(), true);
  assert.equal(jump.hidden, true);
});

test("Jump to latest follows again, scrolling once a frame however often asked", () => {
  const { scroller, jump, view, paint } = page();
  view.scrolled();
  scroller.scrollTop = 100;
  view.scrolled();
  view.scrollToEnd();
  view.scrollToEnd();
  assert.equal(jump.hidden, true);
  let reads = 0;
  Object.defineProperty(scroller, "scrollHeight", { get: () => (reads += 1, 1000) });
  paint();
  assert.equal(reads, 1);
  assert.equal(scroller.scrollTop, 1000);
});

test("reaching the bottom by hand follows again", () => {
  const { scroller, view } = page();
  view.scrolled();
  scroller.scrollTop = 100;
  view.scrolled();
  scroller.scrollTop = 790;
  view.scrolled();
  assert.equal(view.isFollowing(), true);
});
