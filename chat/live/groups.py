"""Where answers travel on the channel layer.

Every socket on a conversation joins its conversation group and hears the
answers' events there; a running answer listens on the conversation's control
group for stop and sync, so they reach it from any daphne process.
"""

import asyncio
import logging
import time

from channels.exceptions import ChannelFull
from channels.layers import get_channel_layer

# Operators filter on this name: it stays "chat.groups" wherever the module lives.
logger = logging.getLogger("chat.groups")


def conversation_group(code):
    return f"conversation-{code}"


def control_group(code):
    return f"answers-{code}"


async def publish(conversation_code, event):
    await get_channel_layer().group_send(
        conversation_group(conversation_code), {"type": "chat.event", "event": event}
    )


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
