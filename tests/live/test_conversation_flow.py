"""A two-turn visual conversation through the websocket, against a fake gateway
over real HTTP."""

import base64
from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.utils.timezone import now

from chat import images
from chat.images import derivatives
from chat.live.request_body import SYSTEM_PROMPT
from chat.live.turns import settle_abandoned
from chat.models import Conversation, ImageAttachment, Message
from chat.testing.upstream import Reply
from tests.support.images import decoded, image_bytes
from tests.support.uploads import upload
from tests.support.websocket import open_socket, receive_until, streamed_text

pytestmark = pytest.mark.django_db(transaction=True)


def data_uri(mime, data):
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


async def send_and_wait(communicator, **payload):
    await communicator.send_json_to({"action": "send", **payload})
    return await receive_until(communicator, "done", "error")


def decoded_uri(uri):
    header, data = uri.split(",", 1)
    return header, decoded(base64.b64decode(data))


async def test_it_streams_two_turns_and_sends_the_whole_history(
    alice, alice_client, upstream, jpeg, monkeypatch
):
    conversation = await Conversation.objects.acreate(owner=alice, model="gpt-4o")
    png = image_bytes("PNG", size=(1600, 1200), color=(220, 30, 30))
    png_id = (await sync_to_async(upload)(alice_client, png, "red.png")).json()["id"]
    jpeg_id = (await sync_to_async(upload)(alice_client, jpeg, "blue.jpg")).json()["id"]
    encodes = []
    encode = images.encode_derivative
    monkeypatch.setattr(
        derivatives, "encode_derivative", lambda im: encodes.append(1) or encode(im)
    )
    first_tokens = ["A ", "red ", "square ", "on ", "white."]
    second_tokens = ["The ", "second ", "is ", "blue."]
    upstream.queue(Reply(tokens=first_tokens), Reply(tokens=second_tokens))

    communicator, connected, _ = await open_socket(conversation, alice_client)
    assert connected
    first = await send_and_wait(
        communicator,
        text="What is this?",
        model="gpt-4o",
        images=[{"id": png_id, "detail": "high"}],
    )
    second = await send_and_wait(
        communicator,
        text="And this one?",
        model="gpt-4o",
        images=[{"id": jpeg_id, "detail": "low"}],
    )
    await communicator.disconnect()

    assert [e["type"] for e in first[:2]] == ["message", "answer"]
    first_answer, second_answer = first[1]["message"]["id"], second[1]["message"]["id"]
    assert streamed_text(first, first_answer) == "".join(first_tokens)
    assert streamed_text(second, second_answer) == "".join(second_tokens)
    assert second[-1]["type"] == "done"
    assert second[-1]["message"]["completion_tokens"] == 6

    assert len(upstream.requests) == 2
    # The 1600×1200 PNG at high: OpenAI's resize gives 1024×768, an opaque
    # image goes as JPEG. It was encoded once, for the first turn.
    turn_one_png = upstream.requests[0].body["messages"][1]["content"][0]["image_url"]["url"]
    header, sent = decoded_uri(turn_one_png)
    assert header == "data:image/jpeg;base64"
    assert sent.format == "JPEG" and sent.size == (1024, 768)
    assert sent.getpixel((512, 384))[0] > 200
    assert len(encodes) == 1
    turn_two = upstream.requests[1]
    assert turn_two.path == "/v1/chat/completions"
    assert turn_two.headers["Authorization"] == "Bearer sk-test-secret-key"
    assert turn_two.body == {
        "model": "gpt-4o",
        "stream": True,
        "stream_options": {"include_usage": True},
        "messages": [
            {"role": "system", "content": SYSTEM_PROMPT},
            {
                "role": "user",
                "content": [
                    {
                        "type": "image_url",
                        # The same derivative bytes as in turn one, not encoded again.
                        "image_url": {"url": turn_one_png, "detail": "high"},
                    },
                    {"type": "text", "text": "What is this?"},
                ],
            },
            {"role": "assistant", "content": "A red square on white."},
            {
                "role": "user",
                "content": [
                    {
                        "type": "image_url",
                        # A clean 80×60 JPEG already fits low and is smaller
                        # than a re-encoding: it goes as it is.
                        "image_url": {"url": data_uri("image/jpeg", jpeg), "detail": "low"},
                    },
                    {"type": "text", "text": "And this one?"},
                ],
            },
        ],
    }

    assert len(encodes) == 1
    stored = [m async for m in Message.objects.filter(conversation=conversation)]
    assert [(m.role, m.status) for m in stored] == [
        ("user", "complete"),
        ("assistant", "complete"),
        ("user", "complete"),
        ("assistant", "complete"),
    ]
    assert stored[1].text == "".join(first_tokens)
    assert stored[3].text == "".join(second_tokens)
    assert stored[3].prompt_tokens == 42 and stored[3].completion_tokens == 6
    assert stored[3].first_token_ms is not None and stored[3].total_ms >= stored[3].first_token_ms


async def test_it_applies_an_image_history_change_made_while_connected(
    alice, alice_client, upstream, png
):
    conversation = await Conversation.objects.acreate(owner=alice)
    png_id = (await sync_to_async(upload)(alice_client, png, "red.png")).json()["id"]
    communicator, _, _ = await open_socket(conversation, alice_client)
    await send_and_wait(communicator, text="One", model="gpt-4o", images=[{"id": png_id}])

    # The page's header select, while the socket stays open.
    response = await sync_to_async(alice_client.post)(
        f"/c/{conversation.code}/image-history/", {"value": "1"}
    )
    assert response.status_code == 200
    events = await send_and_wait(communicator, text="Two", model="gpt-4o")
    await communicator.disconnect()

    assert upstream.requests[1].body["messages"][1]["content"] == [
        {"type": "text", "text": "[image 1 of turn 1: red.png, 64×48, not resent]"},
        {"type": "text", "text": "One"},
    ]
    assert events[-1]["message"]["dropped_images"] == 1
    # The page is told before the first token, not only when the answer ends.
    first_token = next(i for i, e in enumerate(events) if e["type"] == "token")
    announced = [e for e in events[:first_token] if e["type"] == "answer"]
    assert announced[-1]["message"]["dropped_images"] == 1


async def test_it_stores_the_user_message_before_calling_the_model(alice, alice_client, upstream):
    conversation = await Conversation.objects.acreate(owner=alice)
    upstream.queue(Reply(status=500, body='{"error": {"message": "boom"}}'))
    upstream.queue(Reply(status=500, body='{"error": {"message": "boom"}}'))
    upstream.queue(Reply(status=500, body='{"error": {"message": "boom"}}'))

    communicator, _, _ = await open_socket(conversation, alice_client)
    events = await send_and_wait(communicator, text="Still here?", model="gpt-4o")
    await communicator.disconnect()

    assert events[-1]["type"] == "error"
    assert "server error" in events[-1]["error"]
    user_message = await Message.objects.aget(conversation=conversation, role="user")
    assert user_message.text == "Still here?"
    answer = await Message.objects.aget(conversation=conversation, role="assistant")
    assert answer.status == "error" and answer.http_status == 500


async def test_it_titles_the_conversation_from_its_first_message(alice, alice_client, upstream):
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, _, _ = await open_socket(conversation, alice_client)
    await send_and_wait(communicator, text="Count the birds   on the wire", model="gpt-4o")
    await send_and_wait(communicator, text="And the clouds?", model="gpt-4o")
    await communicator.disconnect()

    await conversation.arefresh_from_db()
    assert conversation.title == "Count the birds on the wire"


async def test_it_keeps_the_streamed_text_when_the_user_stops(alice, alice_client, upstream):
    conversation = await Conversation.objects.acreate(owner=alice)
    upstream.queue(
        Reply(tokens=["one ", "two ", "three ", "four "] * 50, seconds_between_tokens=0.02)
    )

    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Count", "model": "gpt-4o"})
    answer_id = (await receive_until(communicator, "answer"))[-1]["message"]["id"]
    seen = await receive_until(communicator, "token")
    await communicator.send_json_to({"action": "stop", "message": answer_id})
    rest = await receive_until(communicator, "done", "error")
    await communicator.disconnect()

    final = rest[-1]["message"]
    assert rest[-1]["type"] == "done" and final["status"] == "stopped"
    assert final["text"] == streamed_text(seen + rest, answer_id)
    assert final["text"].startswith("one")
    assert len(final["text"]) < len("one two three four " * 50)
    stored = await Message.objects.aget(pk=answer_id)
    assert stored.status == "stopped" and stored.text == final["text"]


async def test_it_catches_up_a_socket_that_joins_mid_answer(alice, alice_client, upstream):
    conversation = await Conversation.objects.acreate(owner=alice)
    tokens = [f"word{n} " for n in range(40)]
    upstream.queue(Reply(tokens=tokens, seconds_between_tokens=0.01))

    first, _, _ = await open_socket(conversation, alice_client)
    await first.send_json_to({"action": "send", "text": "Go", "model": "gpt-4o"})
    answer_id = (await receive_until(first, "answer"))[-1]["message"]["id"]
    await receive_until(first, "token")
    await receive_until(first, "token")

    # A second tab opens while the answer streams: it gets the text so far, then the rest.
    late, _, _ = await open_socket(conversation, alice_client)
    late_events = await receive_until(late, "done")
    await receive_until(first, "done")
    await first.disconnect()
    await late.disconnect()

    assert late_events[0]["type"] == "token" and late_events[0]["offset"] == 0
    assert streamed_text(late_events, answer_id) == "".join(tokens)


async def test_it_recovers_a_conversation_whose_answer_was_lost_with_its_process(
    alice, alice_client, upstream
):
    conversation = await Conversation.objects.acreate(owner=alice)
    # What a daphne process that died mid-answer leaves behind: no task, no heartbeat.
    long_ago = now() - timedelta(minutes=5)
    asked = await Message.objects.acreate(
        conversation=conversation, role="user", text="Describe it", created=long_ago
    )
    orphan = await Message.objects.acreate(
        conversation=conversation,
        parent=asked,
        role="assistant",
        status="streaming",
        text="It is a pic",
        created=long_ago,
        heartbeat=long_ago,
    )
    conversation.current = orphan
    await conversation.asave(update_fields=["current"])

    communicator, _, _ = await open_socket(conversation, alice_client)
    settled = await receive_until(communicator, "error")
    events = await send_and_wait(communicator, text="Try again", model="gpt-4o")
    await communicator.disconnect()

    assert settled[-1]["message"]["id"] == orphan.pk
    assert "server restarted" in settled[-1]["error"]
    await orphan.arefresh_from_db()
    assert orphan.status == "error" and orphan.text == "It is a pic"
    assert events[-1]["type"] == "done" and events[-1]["message"]["status"] == "complete"


async def test_it_does_not_settle_an_answer_that_is_still_running(alice, alice_client, upstream):
    conversation = await Conversation.objects.acreate(owner=alice)
    upstream.queue(Reply(tokens=["slow "] * 30, seconds_between_tokens=0.02))
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Go", "model": "gpt-4o"})
    answer_id = (await receive_until(communicator, "answer"))[-1]["message"]["id"]
    # It started long ago: only the heartbeat tells whether it is alive.
    await Message.objects.filter(pk=answer_id).aupdate(created=now() - timedelta(minutes=5))

    settled = await settle_abandoned(conversation)
    events = await receive_until(communicator, "done", "error")
    await communicator.disconnect()

    assert settled == 0
    assert events[-1]["type"] == "done" and events[-1]["message"]["status"] == "complete"


async def test_it_refuses_an_eleventh_image(alice, alice_client, upstream, png):
    conversation = await Conversation.objects.acreate(owner=alice)
    ids = [
        (await sync_to_async(upload)(alice_client, png, f"{n}.png")).json()["id"] for n in range(11)
    ]

    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to(
        {"action": "send", "text": "All of them", "model": "gpt-4o",
         "images": [{"id": i, "detail": "low"} for i in ids]}
    )  # fmt: skip
    refusal = await communicator.receive_json_from()
    await communicator.disconnect()

    assert refusal == {
        "type": "error",
        "code": "too_many_images",
        "error": "A message can carry at most 10 images.",
    }
    assert not await Message.objects.filter(conversation=conversation).aexists()
    assert upstream.requests == []


async def test_it_stores_the_token_estimate_sent(alice, alice_client, upstream):
    conversation = await Conversation.objects.acreate(owner=alice)
    photo = image_bytes("JPEG", size=(1600, 1200))
    image_id = (await sync_to_async(upload)(alice_client, photo, "a.jpg")).json()["id"]

    communicator, _, _ = await open_socket(conversation, alice_client)
    await send_and_wait(
        communicator, text="?", model="gpt-4o", images=[{"id": image_id, "detail": "high"}]
    )
    await communicator.disconnect()

    image = await ImageAttachment.objects.aget(code=image_id)
    assert image.tokens == 85 + 170 * 4  # 1024×768 after the high-detail resize
