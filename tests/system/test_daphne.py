"""The consumer behind a running daphne: a real websocket client with the
session cookie from the real login form, as a browser would connect."""

import json

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus

from chat.testing.upstream import Reply
from tests.support.images import image_bytes
from tests.support.live import login, open_conversation, receive_until, socket_to, upload
from tests.support.websocket import streamed_text


@pytest.fixture(scope="module")
def alice(daphne_server):
    client = login(daphne_server, "alice")
    yield client
    client.close()


async def test_it_streams_and_stores_a_two_turn_conversation_with_an_image(
    live_site, daphne_server, live_upstream, alice
):
    code = open_conversation(alice)
    uploaded = upload(alice, image_bytes("PNG", size=(64, 48)), "red.png")
    assert uploaded.status_code == 201
    image_id = uploaded.json()["id"]
    live_upstream.queue(Reply(tokens=["A ", "red ", "square."]), Reply(tokens=["Still ", "red."]))

    async with socket_to(daphne_server, code, cookie=alice.cookies["sessionid"]) as socket:
        await socket.send(
            json.dumps(
                {"action": "send", "text": "What is this?", "model": "gpt-4o",
                 "images": [{"id": image_id, "detail": "high"}]}
            )
        )  # fmt: skip
        first = await receive_until(socket, "done", "error")
        await socket.send(json.dumps({"action": "send", "text": "Sure?", "model": "gpt-4o"}))
        second = await receive_until(socket, "done", "error")

    first_answer, second_answer = first[1]["message"]["id"], second[1]["message"]["id"]
    assert first[-1]["type"] == second[-1]["type"] == "done"
    # The text arrived as token events before the final "done".
    assert streamed_text(first, first_answer) == "A red square."
    assert streamed_text(second, second_answer) == "Still red."

    stored = live_site.query(
        "SELECT m.role, m.text, m.status FROM chat_message m "
        "JOIN chat_conversation c ON c.id = m.conversation_id WHERE c.code = %s "
        "ORDER BY m.created, m.id",
        code.replace("-", ""),
    )
    assert stored == [
        ("user", "What is this?", "complete"),
        ("assistant", "A red square.", "complete"),
        ("user", "Sure?", "complete"),
        ("assistant", "Still red.", "complete"),
    ]
    [(linked_to,)] = live_site.query(
        "SELECT m.text FROM chat_imageattachment i JOIN chat_message m ON m.id = i.message_id "
        "WHERE i.code = %s",
        image_id.replace("-", ""),
    )
    assert linked_to == "What is this?"
    # The second request carries the whole history, the first image included.
    history = live_upstream.requests[1].body["messages"]
    assert [m["role"] for m in history] == ["system", "user", "assistant", "user"]
    assert history[1]["content"][0]["image_url"]["url"].startswith("data:image/png;base64,")


async def test_it_refuses_a_foreign_origin(daphne_server, alice):
    code = open_conversation(alice)

    with pytest.raises(InvalidStatus) as refused:
        async with socket_to(
            daphne_server, code, cookie=alice.cookies["sessionid"], origin="http://evil.example"
        ):
            pass

    assert refused.value.response.status_code == 403


async def test_it_closes_a_socket_without_the_session_cookie_with_4401(daphne_server, alice):
    code = open_conversation(alice)

    # Opened, then closed at once: a browser sees the code only on an open socket.
    async with socket_to(daphne_server, code) as socket:
        with pytest.raises(ConnectionClosed):
            await socket.recv()

    assert socket.close_code == 4401


async def test_it_accepts_the_same_socket_with_the_cookie_and_origin(daphne_server, alice):
    # The control for the two refusals above: only the cookie or origin differed.
    code = open_conversation(alice)

    async with socket_to(daphne_server, code, cookie=alice.cookies["sessionid"]) as socket:
        await socket.send(json.dumps({"action": "nonsense"}))
        event = json.loads(await socket.recv())

    assert event == {"type": "error", "code": "bad_request", "error": "Unknown action 'nonsense'."}
