"""The turns a conversation takes, as the consumer asks for them.

A send, an edit or a regenerate stores the turn, tells the conversation's
sockets and starts the answer's task (chat/live/answer_task.py), which the process
owns; a switch of version shows another path; stop and sync are passed to the
running answer through the conversation's control group (chat/live/groups.py).
While the process shuts down (chat/live/lifecycle.py) it takes no new answers.
"""

import asyncio

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from chat.live.answer_task import Answer
from chat.live.groups import control_group, conversation_changed, publish
from chat.live.paths import path_page
from chat.live.payloads import message_payload
from chat.models import Conversation, TurnRefused

_payload = database_sync_to_async(message_payload)

# This process's answer tasks, and whether it takes new ones (not while shutting down).
running = set()
_accepting = True
RESTARTING = "The server is restarting; send your message again in a moment."


def accepting():
    return _accepting


def refuse_new():
    global _accepting
    _accepting = False


def _refuse_when_restarting():
    if not _accepting:
        raise TurnRefused(RESTARTING, code="restarting")


async def start(*, conversation, user, text, images, model, parent=None):
    """Store the turn under `parent` (default: the current leaf), tell the
    conversation's sockets, and start the answer task."""
    _refuse_when_restarting()
    message, answer = await database_sync_to_async(conversation.add_turn)(
        user=user, text=text, images=images, model=model, parent=parent
    )
    return await _begin(conversation, answer, message)


async def edit(*, conversation, user, message, text, images, model):
    """Answer a new version of the user message `message` (an id), on a new branch."""
    _refuse_when_restarting()
    message, answer = await database_sync_to_async(conversation.edit)(
        message, user=user, text=text, images=images, model=model
    )
    return await _begin(conversation, answer, message)


async def regenerate(*, conversation, message, model):
    """Answer again the user message that the answer `message` (an id) replied to."""
    _refuse_when_restarting()
    answer = await database_sync_to_async(conversation.regenerate)(message, model=model)
    return await _begin(conversation, answer)


async def switch(*, conversation, message):
    """Show the version holding `message` (an id) on every socket of the conversation."""
    await database_sync_to_async(conversation.switch_to)(message)
    latest = await database_sync_to_async(path_page)(conversation)
    await publish(conversation.code, {"type": "path", "after": None, **latest})


async def _begin(conversation, answer, message=None):
    if message is not None:
        await publish(conversation.code, {"type": "message", "message": await _payload(message)})
    await publish(conversation.code, {"type": "answer", "message": await _payload(answer)})
    # Every tab's sidebar moves it to the top, with its title.
    await conversation_changed(await Conversation.objects.aget(pk=conversation.pk))
    task = asyncio.create_task(Answer(conversation, answer.pk, answer.model).run())
    running.add(task)
    task.add_done_callback(running.discard)
    return task


async def request_stop(conversation_code, message_id):
    await get_channel_layer().group_send(
        control_group(conversation_code), {"type": "answer.stop", "message": message_id}
    )


async def request_sync(conversation_code, reply_channel, offset=0):
    """Ask the running answer (if any) to send `reply_channel` its text from `offset`
    and its images, as one "chat.sync" message (see chat/live/relay.py)."""
    await get_channel_layer().group_send(
        control_group(conversation_code),
        {"type": "answer.sync", "reply_to": reply_channel, "offset": offset},
    )
