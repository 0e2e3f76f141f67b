"""Images a model generates are taken in as uploads are (issue 17, finding 15):
checked in the bounded image workers, not on the database thread every socket
shares, and counted against the owner's upload bytes a day. The memory under
a flood of them is measured against a running daphne in
tests/system/test_image_floods.py."""

import base64
import threading

import pytest

from chat import images
from chat.models import Conversation, ImageAttachment
from chat.testing.upstream import Reply
from tests.support.images import image_bytes
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db(transaction=True)
MODEL = "gemini-2.5-flash-image"


def data_uri(data):
    return f"data:image/png;base64,{base64.b64encode(data).decode()}"


async def draw(alice, alice_client, upstream, drawn):
    conversation = await Conversation.objects.acreate(owner=alice, model=MODEL)
    upstream.queue(Reply(tokens=["Here ", "it is."], images=[data_uri(drawn)]))
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Draw one", "model": MODEL})
    done = (await receive_until(communicator, "done", "error"))[-1]
    await communicator.disconnect()
    return done


async def test_it_checks_a_generated_image_in_an_image_worker(
    alice, alice_client, upstream, monkeypatch
):
    """Fails on main before issue 17: the image was decoded on the database thread."""
    threads = []
    prepare = images.prepare

    def recorded(data, **kwargs):
        threads.append(threading.current_thread().name)
        return prepare(data, **kwargs)

    monkeypatch.setattr(images, "prepare", recorded)
    done = await draw(alice, alice_client, upstream, image_bytes("PNG", size=(40, 30)))

    assert len(done["message"]["images"]) == 1
    assert len(threads) == 1 and threads[0].startswith("images")


async def test_it_does_not_keep_a_generated_image_past_the_days_upload_bytes(
    alice, alice_client, upstream, settings
):
    """Fails on main before issue 17: generated images were stored whatever the
    owner had used of the day's bytes."""
    drawn = image_bytes("PNG", size=(40, 30))
    settings.LIMIT_UPLOAD_BYTES_PER_DAY = len(drawn) - 1

    done = await draw(alice, alice_client, upstream, drawn)

    assert done["message"]["images"] == []
    assert "The model sent an image that was not kept. You can upload" in done["message"]["text"]
    assert not await ImageAttachment.objects.filter(message_id=done["message"]["id"]).aexists()
