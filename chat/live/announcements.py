"""A person's conversations becoming active, told to their sidebars at most once
per interval, however many start.

Every socket of a person hears the person's group (chat/live/groups.py), so
each answer started was one event per socket: one person with 50 tabs starting
50 answers was 2,500 events, and made every first token wait. Here the first
start of a quiet spell is told at once (a single send shows in the sidebar
without delay); those that follow within ANNOUNCE_SECONDS are gathered and told
in one "conversations" event at its end, read from the database then, so that
a rename or a delete in between is not undone. Per process and event loop: two
processes each tell their own starts.
"""

import asyncio
import logging
import weakref

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer

from chat.live.groups import person_group
from chat.live.payloads import conversation_payload
from chat.live.protocol import CONVERSATION, CONVERSATIONS
from chat.models import Conversation

logger = logging.getLogger("chat.groups")

ANNOUNCE_SECONDS = 0.5


class Announcements:
    """One event loop's announcements, on `clock` (the loop: time(), call_later())."""

    def __init__(self, clock):
        self.clock = clock
        self.quiet_from = {}  # person -> when their next start may be told at once
        self.gathered = {}  # person -> {conversation pk}, told at the interval's end
        self.flushes = set()  # the tasks telling them (a reference keeps each alive)

    async def active(self, conversation, payload=None):
        """`conversation` was active: tell its person's sidebars, as it is stored
        when they are told (only its owner and pk are read here; `payload`, read
        where it was stored, saves reading it again when it is told at once)."""
        person, now = conversation.owner_id, self.clock.time()
        if person in self.gathered:
            self.gathered[person].add(conversation.pk)
        elif now >= self.quiet_from.get(person, 0.0):
            self.quiet_from[person] = now + ANNOUNCE_SECONDS
            payloads = [payload] if payload else await _payloads(person, {conversation.pk})
            for told in payloads:
                await _send(person, {"type": CONVERSATION, "conversation": told})
        else:
            self.gathered[person] = {conversation.pk}
            self.clock.call_later(self.quiet_from[person] - now, self._flush, person)

    def _flush(self, person):
        task = asyncio.create_task(self._tell_gathered(person))
        self.flushes.add(task)
        task.add_done_callback(self.flushes.discard)

    async def _tell_gathered(self, person):
        pks = self.gathered.pop(person, set())
        self.quiet_from[person] = self.clock.time() + ANNOUNCE_SECONDS
        try:
            payloads = await _payloads(person, pks)
            if payloads:
                await _send(person, {"type": CONVERSATIONS, "conversations": payloads})
        except Exception:  # a sidebar a little out of date is no reason to fail loudly
            logger.warning("conversations of person %s not announced", person, exc_info=True)


@database_sync_to_async
def _payloads(person, pks):
    """The conversations still there, least recently active first (the sidebar
    moves each to the top in turn)."""
    found = Conversation.objects.filter(owner_id=person, pk__in=pks, deleted=None)
    return [conversation_payload(c) for c in found.order_by("updated", "pk")]


async def _send(person, event):
    await get_channel_layer().group_send(
        person_group(person), {"type": "chat.event", "event": event}
    )


_loops = weakref.WeakKeyDictionary()


def of_this_loop():
    loop = asyncio.get_running_loop()
    announcements = _loops.get(loop)
    if announcements is None:
        announcements = _loops[loop] = Announcements(loop)
    return announcements
