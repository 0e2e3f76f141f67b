"""Where events travel on the channel layer.

Every socket on a conversation joins its conversation group and hears the
answers' events there; a running answer listens on the conversation's control
group for stop and sync, so they reach it from any daphne process. Every socket
of a person also joins the person's group, so the sidebar of every tab keeps
the order of latest activity, new titles, renames and deletions live.
"""

import asyncio
import logging
import time

from asgiref.sync import async_to_sync
from channels.exceptions import ChannelFull
from channels.layers import get_channel_layer

from chat.live.payloads import conversation_payload
from chat.live.protocol import CONVERSATION, CONVERSATION_DELETED

# Operators filter on this name: it stays "chat.groups" wherever the module lives.
logger = logging.getLogger("chat.groups")


def load_layer():
    """Import and build the channel layer before the first socket: on Redis its
    import (redis-py, channels-redis) otherwise holds the event loop then."""
    get_channel_layer()


async def forget(channel):
    """`channel` is received on no more: the pub/sub layer unsubscribes it, where
    the others let it expire (chat/live/layers.py)."""
    forget = getattr(get_channel_layer(), "forget", None)
    if forget is not None:
        await forget(channel)


def conversation_group(code):
    return f"conversation-{code}"


def control_group(code):
    return f"answers-{code}"


def person_group(user_id):
    return f"person-{user_id}"


async def publish(conversation_code, event):
    await get_channel_layer().group_send(
        conversation_group(conversation_code), {"type": "chat.event", "event": event}
    )


async def conversation_changed(conversation):
    """Tell every tab's sidebar that `conversation` was active or renamed."""
    await get_channel_layer().group_send(
        person_group(conversation.owner_id),
        {
            "type": "chat.event",
            "event": {"type": CONVERSATION, "conversation": conversation_payload(conversation)},
        },
    )


def conversation_renamed(conversation):
    async_to_sync(conversation_changed)(conversation)


def conversation_deleted(conversation):
    """Tell every tab's sidebar, and close the conversation's own sockets (4404)."""
    layer = get_channel_layer()
    event = {"type": CONVERSATION_DELETED, "code": str(conversation.code)}
    async_to_sync(layer.group_send)(
        person_group(conversation.owner_id), {"type": "chat.event", "event": event}
    )
    async_to_sync(layer.group_send)(conversation_group(conversation.code), {"type": "chat.deleted"})


# A reply to a socket whose channel is full is tried again for this long.
REPLY_SECONDS = 30.0


async def send_reply(channel, message):
    """`send`, unlike group_send, says when the channel is full: wait for room."""
    layer = get_channel_layer()
    deadline = time.monotonic() + REPLY_SECONDS
    delay = 0.01
    while True:
        try:
            await layer.send(channel, message)
            return True
        except ChannelFull:
            if time.monotonic() > deadline:
                logger.warning("gave up replying to %s: its channel stayed full", channel)
                return False
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.5)
