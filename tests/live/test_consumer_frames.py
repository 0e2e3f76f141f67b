"""Frames the protocol does not speak: binary, not JSON, too large. Each gets
a refusal event on a socket that stays open, or the documented close code."""

import pytest
from asgiref.sync import sync_to_async

from chat.models import Conversation, Message
from tests.support.websocket import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def socket(alice, alice_client):
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, connected, _ = await open_socket(conversation, alice_client)
    assert connected
    yield communicator
    await communicator.disconnect()


async def still_open(communicator):
    await communicator.send_json_to({"action": "dance"})
    return (await communicator.receive_json_from())["error"] == "Unknown action 'dance'."


async def test_it_refuses_a_binary_frame_and_stays_open(socket):
    await socket.send_to(bytes_data=b"\x00\xff binary")

    assert await socket.receive_json_from() == {
        "type": "error",
        "code": "bad_frame",
        "error": "Frames must be JSON text; binary frames are not read.",
    }
    assert await still_open(socket)


@pytest.mark.parametrize("frame", ["not json", "{", "[" * 100_000, " ", "\ud800"])
async def test_it_refuses_text_that_is_not_json_and_stays_open(socket, frame):
    await socket.send_to(text_data=frame)

    refusal = await socket.receive_json_from()

    assert refusal["code"] == "bad_frame" and refusal["error"] == "Frames must be JSON objects."
    assert await still_open(socket)


@pytest.mark.parametrize("frame", ['"a string"', "[1, 2]", "null", "3"])
async def test_it_refuses_json_that_is_not_an_object(socket, frame):
    await socket.send_to(text_data=frame)

    refusal = await socket.receive_json_from()

    assert refusal["code"] == "bad_request"
    assert await still_open(socket)


async def test_it_closes_on_a_frame_over_the_size_limit(socket, settings):
    settings.WEBSOCKET_MAX_BYTES = 1000
    text = "é" * 600  # 600 characters, 1200 bytes

    await socket.send_json_to({"action": "send", "text": text, "model": "gpt-4o"})

    assert await socket.receive_output() == {"type": "websocket.close", "code": 1009}
    assert await Message.objects.acount() == 0


async def test_it_refuses_a_malformed_image_detail(socket):
    await socket.send_json_to(
        {"action": "send", "text": "hi", "model": "gpt-4o",
         "images": [{"id": "0b6f7e4c-4a3b-4a0e-9f3e-3f1d2c3b4a5e", "detail": ["high"]}]}
    )  # fmt: skip

    refusal = await socket.receive_json_from()

    assert refusal["error"] == "Detail must be low, high or auto."
    assert await Message.objects.acount() == 0


async def test_it_refuses_text_with_a_lone_surrogate(socket):
    # Valid JSON, but no database can store the string it decodes to.
    await socket.send_to(text_data='{"action": "send", "text": "a\\ud800b", "model": "gpt-4o"}')

    refusal = await socket.receive_json_from()

    assert refusal["error"] == (
        "The message holds characters that cannot be stored (NUL or a lone surrogate)."
    )
    assert await Message.objects.acount() == 0


@pytest.mark.parametrize(
    ("frame", "sentence"),
    [
        ({}, "Unknown action None."),
        ({"action": "Send"}, "Unknown action 'Send'."),
        ({"action": "_begin_turn"}, "Unknown action '_begin_turn'."),
        ({"action": ["send"]}, "Unknown action ['send']."),
        ({"action": {"send": 1}}, "Unknown action {'send': 1}."),
    ],
)
async def test_it_refuses_an_action_it_does_not_speak_and_stores_nothing(socket, frame, sentence):
    await socket.send_json_to({**frame, "text": "hi", "model": "gpt-4o"})

    assert await socket.receive_json_from() == {
        "type": "error",
        "code": "bad_request",
        "error": sentence,
    }
    assert await Message.objects.acount() == 0


async def test_it_refuses_frames_in_the_persons_language(alice, alice_client):
    await sync_to_async(alice_client.post)("/account/language/", {"language": "zh-hans"})
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, connected, _ = await open_socket(conversation, alice_client)
    assert connected

    await communicator.send_json_to({"action": "dance"})
    unknown = await communicator.receive_json_from()
    await communicator.send_to(bytes_data=b"\x00")
    binary = await communicator.receive_json_from()
    await communicator.disconnect()

    assert unknown["error"] == "无法识别的操作 'dance'。"
    assert binary["error"] == "消息帧必须是 JSON 文本；二进制帧不予读取。"
