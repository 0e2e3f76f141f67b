"""Answer liveness is a heartbeat: renewed while an answer runs, even when the
gateway is silent; answers whose heartbeat stopped are settled by a sweep."""

import asyncio
from datetime import timedelta

import pytest
from django.utils.timezone import now

from chat.live.turns import settle_abandoned
from chat.models import Conversation, Message
from chat.testing.upstream import Reply
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


async def orphan(owner, *, heartbeat, text="It is a pic"):
    conversation = await Conversation.objects.acreate(owner=owner)
    answer = await Message.objects.acreate(
        conversation=conversation, role="assistant", status="streaming", text=text,
        created=heartbeat, heartbeat=heartbeat,
    )  # fmt: skip
    return conversation, answer


async def test_it_renews_the_heartbeat_while_the_gateway_sends_nothing(
    alice, alice_client, upstream
):
    conversation = await Conversation.objects.acreate(owner=alice)
    upstream.queue(Reply(tokens=["Late."], hold_after=0))  # no token until released
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Go", "model": "gpt-4o"})
    answer = await Message.objects.aget(
        pk=(await receive_until(communicator, "answer"))[-1]["message"]["id"]
    )

    async with asyncio.timeout(10):
        while (await Message.objects.aget(pk=answer.pk)).heartbeat <= answer.heartbeat:
            await asyncio.sleep(0.1)
    before = []  # what the socket got meanwhile (the sidebar's news, say)
    while not await communicator.receive_nothing(timeout=0.2):
        before.append(await communicator.receive_json_from())
    upstream.release.set()
    events = await receive_until(communicator, "done", "error")
    await communicator.disconnect()

    # Renewed before the first token: the heartbeat is the process, not the stream.
    assert "token" not in [event["type"] for event in before]
    assert events[-1]["type"] == "done" and events[-1]["message"]["text"] == "Late."


async def test_it_settles_abandoned_answers_of_every_conversation_and_tells_their_sockets(
    alice, alice_client, settings
):
    settings.ANSWER_ABANDONED_SECONDS = 30
    stale = now() - timedelta(seconds=31)
    first, first_answer = await orphan(alice, heartbeat=stale)
    _, second_answer = await orphan(alice, heartbeat=stale, text="")
    _, alive = await orphan(alice, heartbeat=now() - timedelta(seconds=20))
    communicator, _, _ = await open_socket(first, alice_client)
    # Opening the socket settles its own conversation's answer: wait for that.
    told = await receive_until(communicator, "error")

    settled = await settle_abandoned()
    await communicator.disconnect()

    assert settled == 1  # the second one; the first was settled when the socket opened
    assert told[-1]["message"]["id"] == first_answer.pk
    assert told[-1]["code"] == "interrupted"
    for answer, text in ((first_answer, "It is a pic"), (second_answer, "")):
        await answer.arefresh_from_db()
        assert (answer.status, answer.error_code, answer.text) == ("error", "interrupted", text)
    await alive.arefresh_from_db()
    assert alive.status == "streaming"


async def test_it_never_settles_an_answer_that_finished_meanwhile(alice, settings):
    settings.ANSWER_ABANDONED_SECONDS = 30
    _, answer = await orphan(alice, heartbeat=now() - timedelta(minutes=1))
    await Message.objects.filter(pk=answer.pk).aupdate(status="complete", text="All of it.")

    assert await settle_abandoned() == 0
    await answer.arefresh_from_db()
    assert (answer.status, answer.text) == ("complete", "All of it.")
