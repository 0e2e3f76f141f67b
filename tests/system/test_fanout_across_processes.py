"""A fast 50,000-token answer through Redis to sockets on two processes, on
either Redis channel layer (REDIS_CHANNEL_LAYER): pub/sub, which keeps nothing,
and the queues, whose capacity and expiry hold the stream; what a socket misses
it gets from the answer's text (chat/live/relay.py), without a gap or a repeat."""

import asyncio
import json

import pytest

from chat.testing.upstream import Reply
from tests.support.live import login, receive_until, redis_site, socket_to
from tests.support.websocket import final_message, text_without_repeats

TOKENS = [f"Zürich-{n} " for n in range(50_000)]


@pytest.fixture(scope="module", params=["pubsub", "queues"])
def site(request, tmp_path_factory, live_upstream_server):
    with redis_site(
        tmp_path_factory.mktemp("fanout"), live_upstream_server, REDIS_CHANNEL_LAYER=request.param
    ) as site:
        site.start_server()
        site.start_server()
        yield site


async def test_it_streams_a_50000_token_answer_whole_and_in_order_to_two_processes(
    site, live_upstream
):
    a, b = site.servers
    alice = login(a, "alice")
    cookie = alice.cookies["sessionid"]
    code = alice.get("/").headers["location"].strip("/").rsplit("/", 1)[-1]
    live_upstream.queue(Reply(tokens=TOKENS))
    text = "".join(TOKENS)

    async with socket_to(a, code, cookie=cookie) as on_a, socket_to(b, code, cookie=cookie) as on_b:
        await on_a.send(json.dumps({"action": "send", "text": "Count", "model": "gpt-4o"}))
        async with asyncio.timeout(180):
            seen = await asyncio.gather(
                receive_until(on_a, "done", "error"), receive_until(on_b, "done", "error")
            )

    answer_id = seen[0][-1]["message"]["id"]
    [(status, stored)] = site.query(
        "SELECT status, text FROM chat_message WHERE id = %s", answer_id
    )
    assert status == "complete" and stored == text
    for events in seen:
        assert events[-1]["type"] == "done"
        assert text_without_repeats(events, answer_id) == text
        assert final_message(events)["text"] == text
    for server in (a, b):
        assert "Traceback" not in server.log() and "ERROR" not in server.log()
