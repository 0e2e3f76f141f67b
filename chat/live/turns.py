"""The turns a conversation takes, and every other change to a conversation
that its sockets or its person's sidebars must hear of: each is one function
here that writes (through the model) and publishes.

A send, an edit or a regenerate stores the turn, tells the conversation's
sockets and starts the answer's task (chat/live/answer_task.py), which the process
owns and which stores and tells the answer's end itself; a switch of version
shows another path; stop and sync are passed to the running answer through the
conversation's control group (chat/live/groups.py). A rename or a delete (from
the sidebar's views) and the settling of answers a dead process abandoned
(chat/live/lifecycle.py's sweep, and the consumer) are here too. While the
process shuts down (chat/live/lifecycle.py) it takes no new answers.
"""

import asyncio
import logging
from dataclasses import dataclass

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext, gettext_noop

from chat import limits
from chat.live import announcements, starts
from chat.live.answer_task import Answer, build_request
from chat.live.groups import (
    control_group,
    conversation_deleted,
    conversation_renamed,
    publish,
)
from chat.live.paths import path_page
from chat.live.payloads import conversation_payload, message_payload
from chat.models import Comparison, Message, Pick, Preferences, TurnRefused
from chat.ops import metrics
from chat.refusals import Refusal

# Its one log line, the settling of an abandoned answer, keeps the name operators
# filter on: "chat.lifecycle", where the settle used to live.
logger = logging.getLogger("chat.lifecycle")

# This process's answer tasks, and whether it takes new ones (not while shutting down).
running = set()
_accepting = True
RESTARTING = gettext_noop("The server is restarting; send your message again in a moment.")


def accepting():
    return _accepting


def refuse_new():
    global _accepting
    _accepting = False


def _refuse_when_restarting():
    if not _accepting:
        raise TurnRefused(gettext(RESTARTING), code="restarting")


async def start(*, conversation, user, text, images, model, parent=None, schema=None):
    """Store the turn under `parent` (default: the current leaf) and start its
    answer (see _started); return the answer's task."""

    def store():
        message, answer = conversation.add_turn(
            user=user, text=text, images=images, model=model, parent=parent, schema=schema
        )
        return message, [answer]

    [task] = await _started(conversation, user, store)
    return task


async def edit(*, conversation, user, message, text, images, model):
    """Answer a new version of the user message `message` (an id), on a new branch."""

    def store():
        edited, answer = conversation.edit(
            message, user=user, text=text, images=images, model=model
        )
        return edited, [answer]

    [task] = await _started(conversation, user, store)
    return task


async def regenerate(*, conversation, user, message, model):
    """Answer again the user message that the answer `message` (an id) replied to."""

    def store():
        return None, [conversation.regenerate(message, model=model)]

    [task] = await _started(conversation, user, store)
    return task


async def compare(*, conversation, user, text, images, models, blind, parent=None):
    """Store the turn with one answer per model (chat/models/comparisons.py) and
    start every answer's task at once; return the tasks."""

    def store():
        _, message, answers = Comparison.start(
            conversation, user=user, text=text, images=images, models=models, blind=blind,
            parent=parent,
        )  # fmt: skip
        Preferences.objects.update_or_create(user=user, defaults={"compare_blind": blind})
        return message, answers

    return await _started(conversation, user, store, answers=len(models))


async def _started(conversation, user, store, answers=1):
    """Settle what a dead process abandoned, take the person's turn limit for
    `answers`, run `store` (the turn's write: (user message or None, answers))
    and build the answers' requests, in one trip to the database thread with the
    starts beside it (chat/live/starts.py); then tell the conversation's sockets
    and start the answers' tasks."""
    _refuse_when_restarting()
    started = await starts.of_this_loop().store(
        lambda: _store_started(conversation, user, store, answers)
    )
    await _tell_settled(started.settled)
    if started.refusal:
        raise started.refusal
    return await _begin(conversation, started)


def _store_started(conversation, user, store, answers):
    """On the database thread, in the batch's transaction: a Started."""
    settled = _settle(conversation)  # kept even when the turn is refused
    try:
        with transaction.atomic():
            limits.take_turn(user, answers)
            message, stored = store()
    except Refusal as refusal:
        return Started(settled, refusal=refusal)
    return Started(
        settled,
        message,
        stored,
        message and message_payload(message, versions=message.known_versions),
        [message_payload(answer, versions=answer.known_versions) for answer in stored],
        conversation_payload(stored[0].conversation),
        [build_request(answer.conversation, answer) for answer in stored],
    )


@dataclass
class Started:
    """A turn stored (or refused), with what telling it and answering it need."""

    settled: list
    message: Message = None  # None: a regenerate's answers hang under an existing one
    answers: list = None
    message_payload: dict = None
    answer_payloads: list = None
    conversation_payload: dict = None
    requests: list = None  # each (body, left_out), or (None, derivatives to make first)
    refusal: Refusal = None


async def pick(*, conversation, user, comparison, outcome, winner, reason):
    """Store the person's pick of `comparison` (an id); a winner becomes the
    version on the path, shown on every socket of the conversation."""
    await database_sync_to_async(_store_pick)(
        conversation, user, comparison, outcome, winner, reason
    )
    latest = await database_sync_to_async(path_page)(conversation)
    await publish(conversation.code, {"type": "path", "after": None, **latest})


def _store_pick(conversation, user, comparison_id, outcome, winner_id, reason):
    comparison = conversation.comparisons.filter(pk=comparison_id).first()
    if comparison is None:
        raise TurnRefused(
            gettext("That comparison is not in this conversation."), code="unknown_message"
        )
    winner = comparison.answers.filter(pk=winner_id).first() if winner_id is not None else None
    Pick.record(comparison, user=user, outcome=outcome, winner=winner, reason=reason)
    if winner is not None:
        conversation.switch_to(winner.pk)


async def switch(*, conversation, message):
    """Show the version holding `message` (an id) on every socket of the conversation."""
    await database_sync_to_async(conversation.switch_to)(message)
    latest = await database_sync_to_async(path_page)(conversation)
    await publish(conversation.code, {"type": "path", "after": None, **latest})


async def _begin(conversation, started):
    """Tell the conversation's sockets of the turn and every tab's sidebar, then
    start its answers' tasks (the process owns them); return the tasks."""
    if started.message is not None:
        await publish(conversation.code, {"type": "message", "message": started.message_payload})
    for payload in started.answer_payloads:
        await publish(conversation.code, {"type": "answer", "message": payload})
    # Every tab's sidebar moves it to the top, with its title.
    await announcements.of_this_loop().active(conversation, payload=started.conversation_payload)
    tasks = []
    for answer, request in zip(started.answers, started.requests, strict=True):
        task = asyncio.create_task(Answer(conversation, answer.pk, answer.model, request).run())
        running.add(task)
        task.add_done_callback(running.discard)
        tasks.append(task)
    return tasks


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


def rename(conversation, title):
    """Retitle `conversation` and tell every tab's sidebar (a view's call: sync)."""
    conversation.rename(title)
    conversation_renamed(conversation)


def delete(conversation):
    """Gone from the person's list and URLs (review keeps it): every tab's sidebar
    is told, and the conversation's own sockets close (4404). A view's call: sync."""
    conversation.soft_delete()
    conversation_deleted(conversation)


def _settle(conversation):
    """Mark the abandoned answers (of `conversation`, or all) interrupted; return them."""
    found = Message.objects.abandoned(settings.ANSWER_ABANDONED_SECONDS).select_related(
        "conversation"
    )
    if conversation is not None:
        found = found.filter(conversation=conversation)
    settled = []
    for answer in found:
        if answer.mark_interrupted():
            metrics.answer_settled(answer)
            settled.append((answer.conversation.code, message_payload(answer)))
            logger.warning(
                "answer %s settled as interrupted: heartbeat %s, older than %g s",
                answer.pk, answer.heartbeat.isoformat(), settings.ANSWER_ABANDONED_SECONDS,
            )  # fmt: skip
    return settled


async def settle_abandoned(conversation=None):
    """Settle answers abandoned by a dead process and tell their sockets.

    Returns how many it settled; a conversation with none can take a new message.
    """
    settled = await database_sync_to_async(_settle)(conversation)
    await _tell_settled(settled)
    return len(settled)


async def _tell_settled(settled):
    for code, payload in settled:
        await publish(
            code,
            {"type": "error", "code": payload["error_code"], "error": payload["error"],
             "message": payload},
        )  # fmt: skip
