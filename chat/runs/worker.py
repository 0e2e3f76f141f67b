"""The process's side of runs: claim items (claims.py), send each as its own
gateway request in its own task, store how each ended, renew the leases.

`manage.py serve` starts one Worker per process (`start`) and, on SIGTERM,
lets its items finish for SHUTDOWN_GRACE_SECONDS before handing the rest back
(`shutdown`): those are sent again after the restart, by whichever process
claims them first.
"""

import asyncio
import logging
import os
import socket
import time
import uuid
from contextlib import aclosing

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.db.models import F
from django.utils import translation
from django.utils.translation import gettext

from chat import gateway
from chat.accounts import language
from chat.gateway import demo, optional_fields
from chat.models import RunItem
from chat.runs import claims, requests

logger = logging.getLogger("chat.runs")

# Items one process sends at once, whoever they belong to (each person's own
# limit is LIMIT_STREAMING_ANSWERS).
ITEMS_PER_PROCESS = 32
# How often an idle worker looks for new items; a finished item wakes it at once.
POLL_SECONDS = 1.0


def _database(function):
    """As Channels' database_sync_to_async (runs do not build on Channels):
    the ORM on the shared thread, stale connections closed around it."""

    def call(*args, **kwargs):
        close_old_connections()
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()

    return sync_to_async(call)


def _open_stream(body):
    if body["model"] == demo.MODEL_ID:
        return demo.stream_chat(body=body)
    # A gateway that refuses response_format is asked by the instruction alone,
    # as a conversation's extraction is (the same models remembered).
    return optional_fields.stream_chat(body=body, refusable=(optional_fields.RESPONSE_FORMAT,))


def _load(item_id):
    item = RunItem.objects.select_related("run", "image__document").get(pk=item_id)
    return requests.build(item)


def _language(item_id):
    """The language of the item's failure sentence: the one its run's owner chose."""
    owner = RunItem.objects.filter(pk=item_id).values_list("run__owner_id", flat=True).first()
    return language.for_user(owner)


def _store_request(item_id, stored):
    """Just before it is sent: an attempt is a request that left."""
    RunItem.objects.filter(pk=item_id).update(request=stored, attempts=F("attempts") + 1)


class Worker:
    def __init__(self, process=None):
        self.process = process or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.tasks = {}  # item id → its task
        self.stopping = False
        self.wake = asyncio.Event()
        self.renewed = 0.0
        self.loop = None  # the run_forever task, when started

    async def run_forever(self):
        while not self.stopping:
            try:
                await self.step()
            except Exception:
                # A database that is down for a moment must not end the runs.
                logger.exception("the run worker's step failed; trying again")
            try:
                await asyncio.wait_for(self.wake.wait(), POLL_SECONDS)
            except TimeoutError:
                pass
            self.wake.clear()

    async def until_idle(self):
        """Work until nothing is running here and nothing can be claimed (tests,
        one-off work); items over a person's rate limit are left waiting."""
        while True:
            await self.step()
            if not self.tasks:
                return
            self.wake.clear()
            await self.wake.wait()

    async def step(self):
        """Renew leases (stopping items whose run was stopped), then claim and start items."""
        if self.tasks and time.monotonic() - self.renewed > settings.RUN_LEASE_SECONDS / 3:
            self.renewed = time.monotonic()
            for item_id in await _database(claims.renew)(self.process, list(self.tasks)):
                if task := self.tasks.get(item_id):
                    task.stop_requested = True
                    task.cancel()
        wanted = ITEMS_PER_PROCESS - len(self.tasks)
        if wanted <= 0 or self.stopping:
            return
        claimed = await _database(claims.claim)(self.process, wanted)
        if self.stopping:  # the process began to stop while the claim was made
            await _database(claims.give_back)([item.pk for item in claimed], self.process)
            return
        for item in claimed:
            self.renewed = self.renewed or time.monotonic()
            task = asyncio.create_task(self._send(item.pk))
            task.stop_requested = False
            self.tasks[item.pk] = task

    async def _send(self, item_id):
        started = time.monotonic()
        try:
            try:
                status, fields = await self._answer(item_id)
            except asyncio.CancelledError:
                if not asyncio.current_task().stop_requested:
                    raise  # the process is stopping: shutdown hands the item back
                status, fields = RunItem.Status.STOPPED, {}
            await _database(claims.finish)(item_id, self.process, status, **fields)
        except Exception:
            # Its lease runs out and the item goes back in line: sent again, never lost.
            logger.exception("run item %s: how it ended could not be stored", item_id)
            return
        finally:
            # Only once the end is stored: until then the item holds a streaming slot.
            self.tasks.pop(item_id, None)
            self.wake.set()
        logger.info("run item %s %s in %.2f s", item_id, status, time.monotonic() - started)

    async def _answer(self, item_id):
        # This task only: every item is a task of its own.
        with translation.override(await _database(_language)(item_id)):
            return await self._answer_in_language(item_id)

    async def _answer_in_language(self, item_id):
        parts, finished = [], None
        try:
            body, stored = await _database(_load)(item_id)
            await _database(_store_request)(item_id, stored)
            async with aclosing(_open_stream(body)) as events:
                async for event in events:
                    if isinstance(event, gateway.TextDelta):
                        parts.append(event.text)
                    elif isinstance(event, gateway.Finished):
                        finished = event
        except gateway.GatewayError as error:
            return RunItem.Status.FAILED, {
                "error_code": error.code, "error": error.message, "answer": "".join(parts),
            }  # fmt: skip
        except Exception:
            logger.exception("run item %s failed", item_id)
            return RunItem.Status.FAILED, {
                "error_code": "internal_error",
                "error": gettext(
                    "Something went wrong on our side while sending this item; the error is logged."
                ),
            }
        return RunItem.Status.DONE, {
            "answer": "".join(parts),
            "prompt_tokens": finished and finished.prompt_tokens,
            "completion_tokens": finished and finished.completion_tokens,
        }

    async def shutdown(self, grace):
        """Claim nothing more; give running items `grace` seconds, then hand the rest back."""
        self.stopping = True
        self.wake.set()
        if self.loop is not None:
            # Its step may be claiming: let it end, so nothing is claimed after this.
            await asyncio.wait([self.loop], timeout=grace)
        running = dict(self.tasks)
        if not running:
            return
        _, pending = await asyncio.wait(running.values(), timeout=grace)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        late = [item_id for item_id, task in running.items() if task in pending]
        if late:
            await _database(claims.give_back)(late, self.process)
        logger.info("runs: %d items finished, %d handed back", len(running) - len(late), len(late))


worker = None


def start():
    """Start this process's worker on the running loop; return its task."""
    global worker
    worker = Worker()
    worker.loop = asyncio.get_running_loop().create_task(worker.run_forever())
    return worker.loop


async def shutdown(grace):
    if worker is not None:
        await worker.shutdown(grace)
