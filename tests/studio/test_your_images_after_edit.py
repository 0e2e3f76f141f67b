"""Edit this image, and editing a message that carries an image, through the
real socket; then "Your images" lists each picture once."""

import pytest
from asgiref.sync import sync_to_async

from chat.models import Conversation
from tests.support.uploads import upload
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


async def listed_names(client):
    response = await sync_to_async(client.get)("/images/", {"format": "json"})
    return [image["name"] for image in response.json()["images"]]


async def turn(page, action, **frame):
    await page.send_json_to({"action": action, "model": "gpt-4o", **frame})
    events = await receive_until(page, "done", "error")
    assert events[-1]["type"] == "done", events[-1]
    return events


@pytest.fixture
async def sent(alice, alice_client, png, upstream):
    """A conversation's socket, and the code of an image sent with its first message."""
    conversation = await Conversation.objects.acreate(owner=alice, model="gpt-4o")
    code = (await sync_to_async(upload)(alice_client, png, name="field.png")).json()["id"]
    page, _, _ = await open_socket(conversation, alice_client)
    events = await turn(page, "send", text="A field", images=[{"id": code}])
    yield page, code, next(e for e in events if e["type"] == "message")["message"]
    await page.disconnect()


async def test_an_image_attached_again_by_edit_this_image_is_listed_once(alice_client, sent):
    page, code, _ = sent
    again = (await sync_to_async(alice_client.post)(f"/images/{code}/reuse/")).json()["id"]
    await turn(page, "send", text="Bluer", images=[{"id": again}])

    assert await listed_names(alice_client) == ["field.png"]


async def test_an_image_kept_by_editing_its_message_is_listed_once(alice_client, sent):
    """Failed before: the edited message's copy of the image (both versions keep
    theirs) was listed as a second image."""
    page, code, message = sent
    await turn(page, "edit", message=message["id"], text="A wide field", images=[{"id": code}])

    assert await listed_names(alice_client) == ["field.png"]
