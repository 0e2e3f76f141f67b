"""Starts stored together: a group commit of the turns that arrive at once
(sends, edits, regenerates and comparisons).

Channels gives a process one database thread (to keep SQLite safe), and a send
used to take seven trips to it: settle, limit, store, two payloads, the
sidebar's conversation, the request. With 50 people pressing Send in the same
second, every answer's first token waited behind the others' trips. Here a
start is one function run on the database thread (`store`), and the starts
queued while one batch is being stored go in the next, in one trip and one
transaction, each in a savepoint of its own: a start that fails (a limit, a
refusal, an error) loses only itself, and its caller gets its exception.
Nothing waits for a timer: a start that finds no batch under way goes at once.
"""

import asyncio
import logging
import weakref

from channels.db import database_sync_to_async
from django.db import transaction

logger = logging.getLogger("chat.answers")

# A batch's transaction stays short: the rest wait for the next.
MAX_BATCH = 64


class Starts:
    """One event loop's queue of starts."""

    def __init__(self):
        self.queued = []  # (store, future)
        self.storing = None  # the task storing batches, while there are any
        self.batches = 0  # trips to the database thread so far

    async def store(self, store):
        """Run `store()` on the database thread with the starts queued beside it,
        in one transaction; return what it returns, or raise what it raised."""
        future = asyncio.get_running_loop().create_future()
        self.queued.append((store, future))
        if self.storing is None or self.storing.done():
            self.storing = asyncio.create_task(self._store_queued())
        return await future

    async def _store_queued(self):
        while self.queued:
            batch, self.queued = self.queued[:MAX_BATCH], self.queued[MAX_BATCH:]
            self.batches += 1
            try:
                outcomes = await database_sync_to_async(store_together)([s for s, _ in batch])
            except Exception as error:  # the commit itself failed: every start in it
                outcomes = [(False, error)] * len(batch)
            for (_, future), (stored, result) in zip(batch, outcomes, strict=True):
                if future.done():  # its caller went away
                    continue
                if stored:
                    future.set_result(result)
                else:
                    future.set_exception(result)


def store_together(stores):
    """Each of `stores` in a savepoint of one transaction: [(True, result) or
    (False, exception)], in order."""
    outcomes = []
    with transaction.atomic():
        for store in stores:
            try:
                with transaction.atomic():
                    outcomes.append((True, store()))
            except Exception as error:
                outcomes.append((False, error))
    return outcomes


_loops = weakref.WeakKeyDictionary()


def of_this_loop():
    loop = asyncio.get_running_loop()
    starts = _loops.get(loop)
    if starts is None:
        starts = _loops[loop] = Starts()
    return starts
