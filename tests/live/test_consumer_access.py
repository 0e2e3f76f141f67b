"""Who may open which conversation's socket, and what a bad request gets back."""

import uuid

import pytest
from asgiref.sync import sync_to_async
from django.test import Client

from chat.models import Conversation, Message
from tests.support.uploads import upload
from tests.support.websocket import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


async def closed_at_once(communicator):
    """The close that follows the accept, after nothing else (a browser sees the
    code only on a socket that opened)."""
    closed = await communicator.receive_output(timeout=5)
    await communicator.send_json_to({"action": "sync"})  # read by no one
    assert await communicator.receive_nothing(timeout=0.2)
    return closed


async def test_it_refuses_an_anonymous_socket(alice):
    conversation = await Conversation.objects.acreate(owner=alice)

    communicator, _, _ = await open_socket(conversation, client=None)

    assert await closed_at_once(communicator) == {"type": "websocket.close", "code": 4401}


async def test_it_refuses_another_users_conversation(alice, bob, alice_client):
    bobs = await Conversation.objects.acreate(owner=bob)

    communicator, _, _ = await open_socket(bobs, alice_client)

    assert await closed_at_once(communicator) == {"type": "websocket.close", "code": 4404}


async def test_it_refuses_a_foreign_origin(alice, alice_client):
    conversation = await Conversation.objects.acreate(owner=alice)

    communicator, connected, _ = await open_socket(
        conversation, alice_client, origin="https://evil.example"
    )

    assert not connected


async def refusal_for(conversation, client, payload):
    communicator, connected, _ = await open_socket(conversation, client)
    assert connected
    await communicator.send_json_to(payload)
    event = await communicator.receive_json_from(timeout=5)
    assert await communicator.receive_nothing(timeout=0.2)
    await communicator.disconnect()
    return event


async def test_it_refuses_an_eleventh_image(alice, alice_client):
    conversation = await Conversation.objects.acreate(owner=alice)
    images = [{"id": str(uuid.uuid4()), "detail": "auto"} for _ in range(11)]

    event = await refusal_for(
        conversation,
        alice_client,
        {"action": "send", "text": "hi", "model": "gpt-4o", "images": images},
    )

    assert event == {
        "type": "error",
        "code": "too_many_images",
        "error": "A message can carry at most 10 images.",
    }
    assert await Message.objects.acount() == 0


async def test_it_refuses_someone_elses_image(alice, bob, alice_client, png):
    conversation = await Conversation.objects.acreate(owner=alice)
    bob_client = Client()
    await sync_to_async(bob_client.force_login)(bob)
    bobs_image = (await sync_to_async(upload)(bob_client, png)).json()["id"]

    event = await refusal_for(
        conversation,
        alice_client,
        {"action": "send", "text": "hi", "model": "gpt-4o", "images": [{"id": bobs_image}]},
    )

    assert event["code"] == "unknown_image"
    assert await Message.objects.acount() == 0


@pytest.mark.parametrize(
    "payload, code",
    [
        ({"action": "send", "text": "  ", "model": "gpt-4o"}, "empty_message"),
        ({"action": "send", "text": "hi", "model": "gpt-5-imaginary"}, "unknown_model"),
        ({"action": "send", "text": "x" * 20_001, "model": "gpt-4o"}, "text_too_long"),
        (
            {"action": "send", "text": "hi", "model": "gpt-4o", "images": [{"id": "nope"}]},
            "bad_request",
        ),
        ({"action": "dance"}, "bad_request"),
    ],
)
async def test_it_explains_a_refused_request(alice, alice_client, payload, code):
    conversation = await Conversation.objects.acreate(owner=alice)

    event = await refusal_for(conversation, alice_client, payload)

    assert event["type"] == "error" and event["code"] == code and event["error"]
    assert await Message.objects.acount() == 0
