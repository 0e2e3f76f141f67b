"""When an answer's new text is published: leading-edge batching.

A token that finds the answer's last event a window or more ago (a quiet
stream, or its first token) is published at once; tokens that arrive faster
than that wait for the window's end and go out together. The window grows with
the number of answers the process streams: batching is what keeps the CPU per
token low under load (one event per window per socket instead of one per
token), and it buys nothing for a few quiet streams, whose tokens would only
wait (at 50 tokens a second, a fixed 50 ms window added 27 ms a token).
"""

# The window once the process streams FULL_WINDOW_ANSWERS answers or more.
BATCH_SECONDS = 0.05
# Below it the window shrinks in proportion: at 20 answers 20 ms, so tokens
# arriving 20 ms apart (50 a second) still go out one by one, and at 1 answer
# 1 ms.
FULL_WINDOW_ANSWERS = 50


def batch_seconds(answers):
    """The batching window while the process streams `answers` answers."""
    return BATCH_SECONDS * min(1.0, max(answers, 1) / FULL_WINDOW_ANSWERS)


class LeadingEdge:
    """One answer's publishing pace, on `clock` (the event loop: time(), call_later())."""

    def __init__(self, clock):
        self.clock = clock
        self.last = None  # when the last event went out

    def wait(self, window):
        """Seconds to wait before publishing what is new: 0 when the last event
        went out `window` or more ago."""
        if self.last is None:
            return 0.0
        return max(0.0, self.last + window - self.clock.time())

    def published(self):
        self.last = self.clock.time()
