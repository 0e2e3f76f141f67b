"""Per-user limits (chat/limits.py): messages started, answers streaming at
once, uploads and their bytes, image URL fetches. Each refusal is a sentence
saying when to try again, and nothing is stored for it."""

import io
import os
from datetime import timedelta

import pytest
from django.utils.timezone import now
from PIL import Image

from chat import limits
from chat.models import Bucket, Conversation, ImageAttachment, Message
from chat.testing.upstream import Reply
from tests.support.uploads import upload
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


def empty(user, name):
    Bucket.objects.update_or_create(user=user, name=name, defaults={"level": 0, "updated": now()})


def noise_png(side):
    """A PNG that does not compress: about 3 × side² bytes."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(3 * side * side)).save(out, "PNG")
    return out.getvalue()


def test_it_refills_a_bucket_with_time(alice, settings):
    settings.LIMIT_MESSAGES_PER_MINUTE = 2
    limits.take(alice, "messages")
    limits.take(alice, "messages")

    with pytest.raises(limits.LimitReached) as refused:
        limits.take(alice, "messages")

    assert refused.value.message == "You can start 2 messages a minute; try again in 30 seconds."
    # Half a minute later one message's worth has come back, and only one.
    Bucket.objects.filter(user=alice).update(updated=now() - timedelta(seconds=30))
    limits.take(alice, "messages")
    with pytest.raises(limits.LimitReached):
        limits.take(alice, "messages")


def test_it_switches_a_limit_off_at_zero(alice, settings):
    settings.LIMIT_MESSAGES_PER_MINUTE = 0

    for _ in range(100):
        limits.take(alice, "messages")

    assert not Bucket.objects.exists()


async def test_it_refuses_a_message_over_the_rate_and_keeps_the_socket_open(
    alice, alice_client, upstream, settings
):
    settings.LIMIT_MESSAGES_PER_MINUTE = 3
    conversation = await Conversation.objects.acreate(owner=alice)
    await Bucket.objects.acreate(user=alice, name="messages", level=0.5, updated=now())
    communicator, connected, _ = await open_socket(conversation, alice_client)
    assert connected

    await communicator.send_json_to({"action": "send", "text": "Hello", "model": "gpt-4o"})
    refusal = await communicator.receive_json_from()

    assert refusal == {
        "type": "error",
        "code": "rate_limited",
        "error": "You can start 3 messages a minute; try again in 10 seconds.",
        "retry_after": 10,
    }
    assert await Message.objects.acount() == 0
    # Still open: once the bucket has refilled, the same socket sends.
    await Bucket.objects.filter(user=alice).aupdate(updated=now() - timedelta(seconds=60))
    upstream.queue(Reply(tokens=["Hi."]))
    await communicator.send_json_to({"action": "send", "text": "Hello", "model": "gpt-4o"})
    events = await receive_until(communicator, "done", "error")
    assert events[-1]["type"] == "done"
    await communicator.disconnect()


async def test_it_refuses_an_answer_over_the_streaming_limit(alice, alice_client, settings):
    settings.LIMIT_STREAMING_ANSWERS = 2
    for title in ("one", "two"):
        busy = await Conversation.objects.acreate(owner=alice, title=title)
        await busy.messages.acreate(role="assistant", status="streaming")
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, _, _ = await open_socket(conversation, alice_client)

    await communicator.send_json_to({"action": "send", "text": "Hello", "model": "gpt-4o"})
    refusal = await communicator.receive_json_from()

    assert refusal["code"] == "rate_limited"
    assert refusal["error"] == (
        "2 of your answers are still streaming, the most at once: "
        "wait for one to finish or stop it."
    )
    assert await conversation.messages.acount() == 0
    await communicator.disconnect()


def test_it_refuses_uploads_over_the_rate(alice_client, png, settings):
    settings.LIMIT_UPLOADS_PER_MINUTE = 1

    first = upload(alice_client, png, "one.png")
    second = upload(alice_client, png, "two.png")

    assert first.status_code == 201
    assert second.status_code == 429
    assert second.json()["error"] == "You can upload 1 image a minute; try again in 60 seconds."
    assert second["Retry-After"] == "60"
    assert list(ImageAttachment.objects.values_list("name", flat=True)) == ["one.png"]


def test_it_refuses_uploads_over_the_bytes_per_day(alice_client, settings):
    settings.LIMIT_UPLOAD_BYTES_PER_DAY = 1024 * 1024
    photo = noise_png(340)  # about 0.33 MB
    assert 300_000 < len(photo) < 400_000

    accepted = [upload(alice_client, photo, f"{n}.png").status_code for n in range(3)]
    refused = upload(alice_client, noise_png(340), "3.png")

    assert accepted == [201, 201, 201]
    assert refused.status_code == 429
    assert refused.json()["error"].startswith("You can upload 1.0 MB a day; try again in ")
    assert refused.json()["error"].endswith(" hours.")
    assert ImageAttachment.objects.count() == 3


def test_it_refuses_url_fetches_over_the_rate_before_fetching(alice, alice_client, settings):
    settings.LIMIT_URL_FETCHES_PER_MINUTE = 10
    empty(alice, "url_fetches")

    # A private address: had it been fetched, the answer would be a 400 saying so.
    response = alice_client.post("/upload/url/", {"url": "https://10.0.0.1/cat.png"})

    assert response.status_code == 429
    assert response.json()["error"] == (
        "You can fetch 10 image URLs a minute; try again in 6 seconds."
    )
    assert ImageAttachment.objects.count() == 0


def test_it_keeps_the_limits_apart_per_user(alice, bob, alice_client, png, settings):
    settings.LIMIT_UPLOADS_PER_MINUTE = 1
    empty(bob, "uploads")

    assert upload(alice_client, png).status_code == 201
