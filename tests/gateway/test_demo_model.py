import pytest
from asgiref.sync import sync_to_async

from chat.gateway import demo
from chat.models import Conversation, Message
from tests.support.images import image_bytes
from tests.support.uploads import upload
from tests.support.websocket import open_socket, receive_until, streamed_text

pytestmark = pytest.mark.django_db(transaction=True)


async def test_it_describes_the_uploaded_image_in_its_streamed_answer(alice, alice_client):
    conversation = await Conversation.objects.acreate(owner=alice)
    picture = image_bytes("PNG", size=(123, 45), color=(40, 80, 220))
    image_id = (await sync_to_async(upload)(alice_client, picture, "blue.png")).json()["id"]

    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to(
        {
            "action": "send",
            "text": "What do you see?",
            "model": demo.MODEL_ID,
            "images": [{"id": image_id, "detail": "low"}],
        }
    )
    events = await receive_until(communicator, "done", "error")
    await communicator.disconnect()

    answer_id = events[1]["message"]["id"]
    text = streamed_text(events, answer_id)
    assert "offline demo" in text
    assert "a PNG image, 123×45 pixels" in text
    assert "dominant colours: blue 100%" in text
    assert "“What do you see?”" in text
    # Streamed a few words at a time, not in one piece.
    assert sum(1 for e in events if e["type"] == "token") > 1
    assert (await Message.objects.aget(pk=answer_id)).text == text


def test_it_is_offered_first_and_labelled_when_no_key_is_set(alice_client, settings):
    settings.TOKENGATE_API_KEY = ""
    page = alice_client.get("/", follow=True).content.decode()

    assert f'<option value="{demo.MODEL_ID}" selected>{demo.LABEL}</option>' in page
    assert '<option value="gpt-4o">gpt-4o</option>' in page


def test_it_is_not_offered_when_a_key_is_set(alice_client, settings):
    settings.TOKENGATE_API_KEY = "sk-live"
    page = alice_client.get("/", follow=True).content.decode()

    assert demo.MODEL_ID not in page
    assert "sk-live" not in page
