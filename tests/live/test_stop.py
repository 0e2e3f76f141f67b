"""A stop closes the gateway's HTTP stream at once, so the gateway stops generating
(and billing), and the answer keeps what streamed."""

import asyncio
import logging

import pytest

from chat import gateway
from chat.models import Conversation, Message
from chat.testing.upstream import Reply
from tests.support.gateway_helpers import BODY
from tests.support.websocket import open_socket, receive_until

SLOW = Reply(tokens=["tick "] * 200, seconds_between_tokens=0.05)


@pytest.mark.django_db(transaction=True)
async def test_a_stop_closes_the_upstream_connection_long_before_the_stream_would_end(
    alice, alice_client, upstream
):
    conversation = await Conversation.objects.acreate(owner=alice)
    upstream.queue(SLOW)
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Count", "model": "gpt-4o"})
    answer_id = (await receive_until(communicator, "answer"))[-1]["message"]["id"]
    await receive_until(communicator, "token")

    await communicator.send_json_to({"action": "stop", "message": answer_id})
    # In a thread: the event loop must stay free to deliver the stop.
    # The stream has ten seconds to go; three leave room for a loaded machine.
    closed = await asyncio.to_thread(upstream.disconnected.wait, 3)
    rest = await receive_until(communicator, "done", "error")
    await communicator.disconnect()

    assert closed, "the gateway still had an open stream 3 s after the stop"
    assert rest[-1]["type"] == "done" and rest[-1]["message"]["status"] == "stopped"
    stored = await Message.objects.aget(pk=answer_id)
    assert stored.status == "stopped" and stored.text.startswith("tick")
    assert len(upstream.requests) == 1


async def test_it_closes_the_upstream_connection_when_its_reader_is_cancelled(upstream, caplog):
    caplog.set_level(logging.INFO, logger="chat.gateway")
    upstream.queue(SLOW)
    first_token = asyncio.Event()

    async def read():
        async for event in gateway.stream_chat(body=BODY):
            if isinstance(event, gateway.TextDelta):
                first_token.set()

    reader = asyncio.create_task(read())
    await first_token.wait()
    reader.cancel()

    assert await asyncio.to_thread(upstream.disconnected.wait, 0.1)
    with pytest.raises(asyncio.CancelledError):
        await reader
    assert "outcome=stopped" in caplog.text
