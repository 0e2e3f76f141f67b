// Scroll-following: the view follows new content only while the reader is at
// the bottom; scrolled up, it stays put and "Jump to latest" brings it back.
// Only the reader moves the view up: content growing below it, and the
// browser's scroll anchoring, leave scrollTop where it was or move it down.
// Nothing here touches the page until it is given its elements, so Node's
// test runner can drive it with stand-ins (tests/js/).

// Within this many pixels of the end counts as at the bottom.
const SLACK = 40;

// `scroller` is the transcript; `jumpButton` the "Jump to latest" button;
// `frame` schedules a callback before the next paint.
export function follower(scroller, jumpButton, frame = (callback) => requestAnimationFrame(callback)) {
  let following = true;
  let scrollQueued = false;
  let lastTop = 0;

  const atBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < SLACK;

  function scrollToEnd() {
    following = true;
    jumpButton.hidden = true;
    // Once a frame at most: reading scrollHeight lays out the whole transcript.
    if (scrollQueued) return;
    scrollQueued = true;
    frame(function () {
      scrollQueued = false;
      if (following) scroller.scrollTop = scroller.scrollHeight;
    });
  }

  // After the transcript grew: keep up with it if the reader was at the bottom.
  function follow() {
    if (following) scrollToEnd();
  }

  function scrolled() {
    const top = scroller.scrollTop;
    if (atBottom()) following = true;
    else if (top < lastTop) following = false;
    lastTop = top;
    jumpButton.hidden = following;
  }

  // Listen to the reader's scrolling and the button; and since messages also
  // grow after their last event (math, highlighting, images loading, an
  // answer's actions), keep up with that too.
  function start() {
    scroller.addEventListener("scroll", scrolled);
    jumpButton.addEventListener("click", scrollToEnd);
    const growing = new ResizeObserver(follow);
    for (const item of scroller.children) growing.observe(item);
    new MutationObserver(function (records) {
      for (const record of records) {
        for (const node of record.addedNodes) if (node instanceof Element) growing.observe(node);
      }
    }).observe(scroller, { childList: true });
  }

  return { scrollToEnd, follow, scrolled, start, isFollowing: () => following };
}
