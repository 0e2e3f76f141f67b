"""Heavy work stays out of the way: the gateway's connection pool says when it is
full, and the derivative a photo will be sent as is made before Send."""

import asyncio
import time

import pytest
from asgiref.sync import sync_to_async

from chat import gateway, images
from chat.gateway import client
from chat.images import background
from chat.models import Conversation, Derivative
from chat.testing.upstream import Reply
from tests.support.gateway_helpers import stream
from tests.support.images import image_bytes
from tests.support.uploads import upload
from tests.support.websocket import open_socket, receive_until


async def test_it_says_every_gateway_connection_is_busy_not_that_the_gateway_timed_out(
    upstream, settings, monkeypatch
):
    settings.TOKENGATE_MAX_CONNECTIONS = 1
    monkeypatch.setattr(client, "POOL_SECONDS", 0.2)
    upstream.queue(Reply(tokens=["one ", "two"], hold_after=1))
    first = asyncio.create_task(stream())
    while not upstream.requests:
        await asyncio.sleep(0.01)

    with pytest.raises(gateway.GatewayTimeout) as refused:
        await stream()
    upstream.release.set()
    await first

    assert refused.value.code == "pool_timeout"
    assert refused.value.message == (
        "All 1 connections to the gateway were busy for 0.2 seconds; try again in a moment."
    )


@pytest.mark.django_db(transaction=True)
async def test_it_makes_a_photos_derivative_after_upload_so_send_makes_none(
    alice, alice_client, upstream, monkeypatch
):
    monkeypatch.setattr(background, "ENABLED", True)
    photo = image_bytes("JPEG", size=(1600, 1200), color=(30, 60, 220))
    image_id = (await sync_to_async(upload)(alice_client, photo, "photo.jpg")).json()["id"]
    deadline = time.monotonic() + 10
    while not await Derivative.objects.filter(kind="high").aexists():
        assert time.monotonic() < deadline, "no high derivative was made after the upload"
        await asyncio.sleep(0.02)
    made = []
    make = images.make_derivative
    monkeypatch.setattr(images, "make_derivative", lambda *a: made.append(a[1]) or make(*a))

    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "What is it?", "model": "gpt-4o",
                                     "images": [{"id": image_id, "detail": "auto"}]})  # fmt: skip
    events = await receive_until(communicator, "done", "error")
    await communicator.disconnect()

    assert events[-1]["type"] == "done"
    assert made == []
    [part] = [p for p in upstream.requests[0].body["messages"][1]["content"] if "image_url" in p]
    assert part["image_url"]["detail"] == "high"
