"""A person's sidebars hear of their conversations' activity at most once per
interval per socket, whatever the number of starts (on a fake clock): the first
start of a quiet spell at once, those that follow together at its end."""

import asyncio

import pytest
from channels.layers import get_channel_layer
from django.utils.timezone import now

from chat.live.announcements import ANNOUNCE_SECONDS, Announcements
from chat.live.groups import person_group
from chat.models import Conversation
from tests.support.clock import FakeClock

pytestmark = pytest.mark.django_db(transaction=True)


async def sockets_of(person, count):
    """`count` channels in the person's group, as that many open tabs."""
    layer = get_channel_layer()
    channels = [await layer.new_channel() for _ in range(count)]
    for channel in channels:
        await layer.group_add(person_group(person.pk), channel)
    return channels


async def received(channel):
    """The events this socket's channel holds now."""
    layer, events = get_channel_layer(), []
    while True:
        try:
            async with asyncio.timeout(0.05):
                events.append((await layer.receive(channel))["event"])
        except TimeoutError:
            return events


async def conversations_of(person, count):
    return [
        await Conversation.objects.acreate(owner=person, title=f"Talk {n}", updated=now())
        for n in range(count)
    ]


async def told(announcements):
    """Wait for the gathered announcements under way to be sent."""
    while announcements.flushes:
        await asyncio.gather(*announcements.flushes)


async def test_fifty_starts_reach_each_socket_as_two_events(alice):
    tabs = await sockets_of(alice, 5)
    conversations = await conversations_of(alice, 50)
    clock = FakeClock()
    announcements = Announcements(clock)

    for conversation in conversations:
        await announcements.active(conversation)
    at_once = [await received(tab) for tab in tabs]
    clock.advance(ANNOUNCE_SECONDS)
    await told(announcements)
    at_the_end = [await received(tab) for tab in tabs]

    for events in at_once:
        assert [e["type"] for e in events] == ["conversation"]
        assert events[0]["conversation"]["code"] == str(conversations[0].code)
    for events in at_the_end:
        assert [e["type"] for e in events] == ["conversations"]
        codes = [c["code"] for c in events[0]["conversations"]]
        assert sorted(codes) == sorted(str(c.code) for c in conversations[1:])


async def test_a_start_after_the_gathered_event_waits_for_the_next_interval(alice):
    [tab] = await sockets_of(alice, 1)
    first, second, third = await conversations_of(alice, 3)
    clock = FakeClock()
    announcements = Announcements(clock)
    await announcements.active(first)
    await announcements.active(second)
    clock.advance(ANNOUNCE_SECONDS)
    await told(announcements)
    assert [e["type"] for e in await received(tab)] == ["conversation", "conversations"]

    clock.advance(ANNOUNCE_SECONDS / 10)
    await announcements.active(third)
    assert await received(tab) == []  # one event per interval, not two
    clock.advance(ANNOUNCE_SECONDS)
    await told(announcements)

    [event] = await received(tab)
    assert [c["code"] for c in event["conversations"]] == [str(third.code)]


async def test_a_start_after_a_quiet_spell_is_told_at_once(alice):
    [tab] = await sockets_of(alice, 1)
    first, second = await conversations_of(alice, 2)
    clock = FakeClock()
    announcements = Announcements(clock)
    await announcements.active(first)

    clock.advance(ANNOUNCE_SECONDS * 2)
    await announcements.active(second)

    events = await received(tab)
    assert [e["conversation"]["code"] for e in events] == [str(first.code), str(second.code)]
    assert clock.pending() == []


async def test_each_person_hears_only_of_their_own_and_at_once(alice, bob):
    [alices] = await sockets_of(alice, 1)
    [bobs] = await sockets_of(bob, 1)
    [hers] = await conversations_of(alice, 1)
    [his] = await conversations_of(bob, 1)
    announcements = Announcements(FakeClock())

    await announcements.active(hers)
    await announcements.active(his)

    assert [e["conversation"]["code"] for e in await received(alices)] == [str(hers.code)]
    assert [e["conversation"]["code"] for e in await received(bobs)] == [str(his.code)]


async def test_a_gathered_conversation_is_told_as_stored_when_told(alice):
    [tab] = await sockets_of(alice, 1)
    first, renamed, deleted = await conversations_of(alice, 3)
    clock = FakeClock()
    announcements = Announcements(clock)
    await announcements.active(first)
    await announcements.active(renamed)
    await announcements.active(deleted)

    await Conversation.objects.filter(pk=renamed.pk).aupdate(title="A new name")
    await Conversation.objects.filter(pk=deleted.pk).aupdate(deleted=now())
    clock.advance(ANNOUNCE_SECONDS)
    await told(announcements)

    _, gathered = await received(tab)
    assert [(c["code"], c["title"]) for c in gathered["conversations"]] == [
        (str(renamed.code), "A new name")
    ]
