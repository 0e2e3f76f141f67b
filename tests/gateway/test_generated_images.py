"""Image models (gemini-2.5-flash-image, gemini-3-pro-image-preview, ...) answer with
images: the client yields them, the answer stores and shows them as they arrive,
and later turns send them back to the model."""

import base64

import pytest
from asgiref.sync import sync_to_async

from chat import gateway
from chat.live.request_body import GENERATED_IMAGES_TEXT
from chat.models import Conversation, ImageAttachment, Message
from chat.testing.upstream import Reply
from tests.support.gateway_helpers import stream, text_of
from tests.support.images import image_bytes
from tests.support.websocket import open_socket, receive_until

MODEL = "gemini-2.5-flash-image"


def data_uri(data, mime="image/png"):
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


@pytest.fixture
def drawn():
    return image_bytes("PNG", size=(40, 30), color=(40, 170, 60))


def images_of(events):
    return [event.data_uri for event in events if isinstance(event, gateway.ImageDelta)]


async def test_it_yields_the_images_in_delta_images(upstream, drawn):
    upstream.queue(Reply(tokens=["Here ", "it is."], images=[data_uri(drawn)]))

    events = await stream()

    assert text_of(events) == "Here it is."
    assert images_of(events) == [data_uri(drawn)]
    assert isinstance(events[-1], gateway.Finished)


async def test_it_takes_a_markdown_data_uri_out_of_the_content(upstream, drawn):
    uri = data_uri(drawn)
    # Split across chunks, as a gateway streaming a long content string would.
    content = f"Here it is: ![a green square]({uri}) Enjoy."
    upstream.queue(Reply(tokens=[content[i : i + 50] for i in range(0, len(content), 50)]))

    events = await stream()

    assert text_of(events) == "Here it is:  Enjoy."
    assert images_of(events) == [uri]
    # Nobody sees half a data URI while it streams.
    assert not any("base64" in event.text for event in events if hasattr(event, "text"))


async def test_it_takes_a_bare_data_uri_out_of_the_content(upstream, drawn):
    uri = data_uri(drawn)
    upstream.queue(Reply(tokens=["Done: ", uri[:7], uri[7:100], uri[100:]]))

    events = await stream()

    assert text_of(events) == "Done: "
    assert images_of(events) == [uri]


async def test_it_leaves_ordinary_text_alone(upstream):
    tokens = [
        "Use ",
        "data:image/png;base64,... ",
        "in HTML",
        " and ",
        "![alt](x.png) ",
        "to embed",
    ]
    upstream.queue(Reply(tokens=tokens))

    events = await stream()

    assert text_of(events) == "".join(tokens)
    assert images_of(events) == []


@pytest.mark.django_db(transaction=True)
async def test_it_stores_and_shows_a_generated_image_as_it_arrives(
    alice, alice_client, upstream, drawn
):
    conversation = await Conversation.objects.acreate(owner=alice, model=MODEL)
    upstream.queue(Reply(tokens=["A ", "green ", "square."], images=[data_uri(drawn)]))

    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Draw one", "model": MODEL})
    answer_id = (await receive_until(communicator, "answer"))[-1]["message"]["id"]
    shown = (await receive_until(communicator, "image"))[-1]
    done = (await receive_until(communicator, "done"))[-1]
    await communicator.disconnect()

    stored = await ImageAttachment.objects.aget(message_id=answer_id)
    assert shown["message"] == answer_id
    assert shown["image"]["id"] == str(stored.code)
    assert (stored.owner_id, stored.format, stored.width, stored.height) == (
        alice.id,
        "PNG",
        40,
        30,
    )
    assert done["message"]["images"] == [shown["image"]]
    answer = await Message.objects.aget(pk=answer_id)
    assert (answer.status, answer.text) == ("complete", "A green square.")
    # The owner can open it; the page lists it with the answer.
    response = await sync_to_async(alice_client.get)(shown["image"]["url"])
    assert response.status_code == 200
    page = await sync_to_async(alice_client.get)(f"/c/{conversation.code}/")
    assert shown["image"]["thumbnail_url"] in page.content.decode()


@pytest.mark.django_db(transaction=True)
async def test_it_says_so_when_a_generated_image_is_not_an_image(alice, alice_client, upstream):
    conversation = await Conversation.objects.acreate(owner=alice, model=MODEL)
    garbage = "data:image/png;base64," + base64.b64encode(b"<html>" * 40).decode()
    upstream.queue(Reply(tokens=["Here."], images=[garbage]))

    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Draw one", "model": MODEL})
    done = (await receive_until(communicator, "done"))[-1]
    await communicator.disconnect()

    assert done["message"]["status"] == "complete"
    assert "The model sent an image that was not kept" in done["message"]["text"]
    assert not await ImageAttachment.objects.filter(message_id=done["message"]["id"]).aexists()


@pytest.mark.django_db(transaction=True)
async def test_it_sends_generated_images_back_on_the_users_side(
    alice, alice_client, upstream, drawn
):
    conversation = await Conversation.objects.acreate(owner=alice, model=MODEL)
    upstream.queue(Reply(tokens=["Here."], images=[data_uri(drawn)]), Reply(tokens=["Green."]))

    communicator, _, _ = await open_socket(conversation, alice_client)
    for text in ("Draw one", "What colour is it?"):
        await communicator.send_json_to({"action": "send", "text": text, "model": MODEL})
        await receive_until(communicator, "done", "error")
    await communicator.disconnect()

    messages = upstream.requests[1].body["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user", "user"]
    assert messages[2] == {"role": "assistant", "content": "Here."}
    # OpenAI-style validation refuses image parts in assistant messages.
    assert messages[3]["content"] == [
        {"type": "text", "text": GENERATED_IMAGES_TEXT},
        # A small image under "auto" goes as "low" (chat/images/ resolve_detail).
        {"type": "image_url", "image_url": {"url": data_uri(drawn), "detail": "low"}},
    ]
    assert messages[4]["content"] == [{"type": "text", "text": "What colour is it?"}]
