"""The heartbeats of a process's streaming answers, renewed together.

Every second, each answer this process streams has its partial text stored
and its `heartbeat` renewed (chat/live/lifecycle.py reads it for liveness), also
while nothing streams yet. All of them go in one trip to the database thread
and one UPDATE (a CASE picks each answer's text): one save per answer per
second, each its own transaction, was the largest database cost of 100
streaming answers, and one transaction of an UPDATE per answer still cost a
PostgreSQL round trip per answer per second.
"""

import asyncio
import logging
import weakref

from channels.db import database_sync_to_async
from django.db.models import Case, TextField, Value, When
from django.utils.timezone import now

from chat.models import Message

# Operators filter on this name: it stays "chat.heartbeats" wherever the module lives.
logger = logging.getLogger("chat.heartbeats")

SAVE_SECONDS = 1.0
# Answers per UPDATE: a statement's CASE grows with them, and SQLite's
# parameters are bounded (32,766).
SAVE_BATCH = 500


class Heartbeats:
    """One event loop's answers (an asyncio task must not outlive its loop)."""

    def __init__(self):
        self.answers = set()  # each has .message_id and .text
        self.task = None
        self.saving = None  # the save under way, if any

    def join(self, answer):
        self.answers.add(answer)
        if self.task is None or self.task.done():
            self.task = asyncio.create_task(self._beat())

    def discard(self, answer):
        self.answers.discard(answer)

    async def leave(self, answer):
        """Stop beating for `answer`; return once no save of its text is under way,
        so that the final save is the last."""
        self.answers.discard(answer)
        if self.saving is not None:
            await asyncio.wait([self.saving])

    async def _beat(self):
        while self.answers:
            await asyncio.sleep(SAVE_SECONDS)
            texts = [(answer.message_id, answer.text) for answer in self.answers]
            if not texts:
                continue
            self.saving = asyncio.create_task(database_sync_to_async(_save)(texts))
            try:
                await asyncio.wait([self.saving])
                if error := self.saving.exception():
                    logger.error("heartbeats not saved", exc_info=error)
            finally:
                self.saving = None


def _save(texts):
    """Store each (message id, text so far) and renew their heartbeats: one
    statement per SAVE_BATCH answers, each atomic on its own."""
    moment = now()
    for start in range(0, len(texts), SAVE_BATCH):
        batch = texts[start : start + SAVE_BATCH]
        Message.objects.filter(pk__in=[message_id for message_id, _ in batch]).update(
            text=Case(
                *(When(pk=message_id, then=Value(text)) for message_id, text in batch),
                output_field=TextField(),
            ),
            heartbeat=moment,
        )


_loops = weakref.WeakKeyDictionary()


def of_this_loop():
    loop = asyncio.get_running_loop()
    heartbeats = _loops.get(loop)
    if heartbeats is None:
        heartbeats = _loops[loop] = Heartbeats()
    return heartbeats
