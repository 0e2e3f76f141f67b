"""What one socket may ask of the server that costs it a reply.

A 33-byte `{"action": "resume", "shown": []}` can make the server send a page of
the conversation (up to 1.5 MB); a `sync`, an answer's whole text so far. Two
guards per socket:

- `Bucket`: a token bucket over `resume` and `sync` together. A frame past it
  gets one `rate_limited` error; the frames after that, until the bucket has a
  token again, get nothing, so a flood is not answered with a flood of errors.
- `Latest`: a `resume` that arrives while one is being answered is not queued
  behind it: the last one waiting is answered once the first is done, the
  others are dropped (each `resume` asks for the whole of what the page lacks,
  so the last one says all the others did).

The outgoing side (a client that does not read) is bounded in daphne itself:
chat/live/backpressure.py.
"""

import asyncio
import math
import time

from django.conf import settings
from django.utils.translation import gettext

from chat.limits import LimitReached, wait_text


class Bucket:
    """A page sends one resume per (re)connect and when its tab or network comes
    back, and a sync when it sees a gap: WEBSOCKET_REPLIES_BURST in a row (10),
    then one every WEBSOCKET_REPLIES_SECONDS (2)."""

    def __init__(self, capacity=None, per_second=None, clock=time.monotonic):
        if capacity is None:
            capacity = settings.WEBSOCKET_REPLIES_BURST
        if per_second is None:
            per_second = 1 / settings.WEBSOCKET_REPLIES_SECONDS
        self.capacity, self.per_second, self.clock = capacity, per_second, clock
        self.level, self.updated = float(capacity), clock()
        self.told = False  # the socket was sent a rate_limited error since its last allowed frame

    def take(self):
        """True if the frame may be answered. False if it is dropped in silence;
        raises LimitReached (code "rate_limited") for the first frame over the limit."""
        now = self.clock()
        self.level = min(self.capacity, self.level + (now - self.updated) * self.per_second)
        self.updated = now
        if self.level >= 1:
            self.level -= 1
            self.told = False
            return True
        if self.told:
            return False
        self.told = True
        retry_after = max(1, math.ceil((1 - self.level) / self.per_second))
        raise LimitReached(
            gettext("Too many resume or sync requests on this connection; try again in %(wait)s.")
            % {"wait": wait_text(retry_after)},
            retry_after=retry_after,
        )


class Latest:
    """Runs `work(argument)` in a task of its own, one at a time; an argument
    given while one runs replaces any still waiting, and only the last is run."""

    def __init__(self, work):
        self.work = work
        self.waiting = self.task = None
        self.has_waiting = False

    def __call__(self, argument):
        self.waiting, self.has_waiting = argument, True
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._run())

    async def _run(self):
        while self.has_waiting:
            argument, self.waiting, self.has_waiting = self.waiting, None, False
            await self.work(argument)

    def cancel(self):
        if self.task:
            self.task.cancel()
