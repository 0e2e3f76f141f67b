"""One request id follows an answer: from the websocket frame, through the
gateway request (X-Request-ID) and the JSON log lines, to the stored message
and its admin page."""

import json

import pytest

from chat.testing.upstream import Reply
from tests.support.live import login, open_conversation, receive_until, socket_to


@pytest.fixture(scope="module")
def live_site_environment():
    return {"LOG_FORMAT": "json"}


def log_lines(server):
    """The process's log lines that are JSON objects (daphne's own start-up lines are not)."""
    lines = []
    for line in server.log().splitlines():
        try:
            lines.append(json.loads(line))
        except ValueError:
            continue
    return lines


async def test_it_follows_an_answer_with_one_request_id(live_site, daphne_server, live_upstream):
    alice = login(daphne_server, "alice")
    code = open_conversation(alice)
    live_upstream.queue(Reply(tokens=["Traced."]))

    async with socket_to(daphne_server, code, cookie=alice.cookies["sessionid"]) as socket:
        await socket.send(json.dumps({"action": "send", "text": "Trace me", "model": "gpt-4o"}))
        events = await receive_until(socket, "done", "error")

    answer_id = events[-1]["message"]["id"]
    [(stored,)] = live_site.query("SELECT request_id FROM chat_message WHERE id = %s", answer_id)
    sent = live_upstream.requests[-1].headers["X-Request-ID"]
    assert len(stored) == 32 and sent == stored
    lines = [line for line in log_lines(daphne_server) if line.get("request_id") == stored]
    loggers = {line["logger"] for line in lines}
    # The gateway request and the answer's own line, both as JSON with the id.
    assert {"chat.gateway", "chat.answers"} <= loggers
    assert any(f"answer {answer_id} " in line["message"] for line in lines)
    assert all({"time", "level", "logger", "message"} <= set(line) for line in lines)


async def test_it_gives_each_answer_its_own_request_id(live_site, daphne_server, live_upstream):
    alice = login(daphne_server, "alice")
    code = open_conversation(alice)

    async with socket_to(daphne_server, code, cookie=alice.cookies["sessionid"]) as socket:
        for text in ("One", "Two"):
            await socket.send(json.dumps({"action": "send", "text": text, "model": "gpt-4o"}))
            await receive_until(socket, "done", "error")

    first, second = (request.headers["X-Request-ID"] for request in live_upstream.requests[-2:])
    assert first != second
