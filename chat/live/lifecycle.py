"""A process's life around its answers: liveness, the sweep, and a graceful stop.

Liveness is a heartbeat, never a guess: the process streaming an answer renews
`Message.heartbeat` every second (chat/live/heartbeats.py). A streaming answer whose
heartbeat is older than ANSWER_ABANDONED_SECONDS belonged to a process that
died; any process settles it as interrupted, keeping the text saved so far
(turns.settle_abandoned): when it starts (`manage.py serve`), every third of
that threshold after, and when a socket opens or sends on its conversation.

On SIGTERM, `manage.py serve` calls `shutdown`: new answers are refused with a
sentence, running ones get SHUTDOWN_GRACE_SECONDS to finish, the rest are
saved and marked interrupted (which their sockets, in any process, are told),
then this process's sockets are closed with 4012 "service restart" after every
event before it, so the page reconnects to another process.
"""

import asyncio
import logging
import uuid

from channels.layers import get_channel_layer
from django.conf import settings

from chat.live import turns
from chat.ops import metrics, request_ids

# Operators filter on this name: it stays "chat.lifecycle" wherever the module lives.
logger = logging.getLogger("chat.lifecycle")

# How long closing this process's sockets may take at the end of a shutdown.
CLOSE_SOCKETS_SECONDS = 5

# This process's open sockets (channel names), also joined in one group: the
# shutdown tells them all with one message.
sockets = set()
PROCESS_GROUP = f"process-{uuid.uuid4().hex}"


def socket_opened(channel_name):
    sockets.add(channel_name)
    metrics.websocket_opened()


def socket_closed(channel_name):
    if channel_name in sockets:
        sockets.discard(channel_name)
        metrics.websocket_closed()


async def sweep_forever():
    """Settle abandoned answers now, then every third of the threshold."""
    request_ids.request_id.set("")  # Twisted callbacks may carry some socket's context
    while True:
        try:
            await turns.settle_abandoned()
        except Exception:
            # A database that is down for a moment must not end the sweep.
            logger.exception("the sweep for abandoned answers failed; trying again")
        await asyncio.sleep(settings.ANSWER_ABANDONED_SECONDS / 3)


async def shutdown(grace):
    """Stop taking answers, give running ones `grace` seconds, then interrupt and tell."""
    request_ids.request_id.set("")  # Twisted callbacks may carry some socket's context
    turns.refuse_new()
    running = set(turns.running)
    logger.info("shutting down: %d answers streaming, %g s to finish", len(running), grace)
    if running:
        _, pending = await asyncio.wait(running, timeout=grace)
        for task in pending:
            task.cancel()  # the answer saves its text and publishes "interrupted"
        await asyncio.gather(*pending, return_exceptions=True)
        logger.info("shutdown: %d answers finished, %d interrupted", len(running) - len(pending),
                    len(pending))  # fmt: skip
    await close_sockets()


async def close_sockets():
    """Close this process's sockets with 4012, each after the events queued before it."""
    if not sockets:
        return
    # Through the channel layer, so each socket forwards what is already queued
    # for it (the "interrupted" events) before it closes; one message for all,
    # so none can be lost to another socket's receive being cancelled.
    await get_channel_layer().group_send(PROCESS_GROUP, {"type": "server.restart"})
    try:
        async with asyncio.timeout(CLOSE_SOCKETS_SECONDS):
            while sockets:
                await asyncio.sleep(0.05)
    except TimeoutError:
        logger.warning("shutdown: %d sockets did not close in time", len(sockets))
