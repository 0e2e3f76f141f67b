"""The channel layer under a real wait: 20 sockets on two processes sit idle
for a minute on Redis, then stream. (With redis-py 8's default 5-second socket
timeout against channels-redis's 5-second blocking receive, idle consumers died
with "Timeout reading from ..." every few seconds.)"""

import asyncio
import json
import re

import pytest
from websockets.protocol import State

from chat.testing.upstream import DEFAULT_TOKENS
from tests.support.live import login, receive_until, redis_site, socket_to
from tests.support.websocket import streamed_text

IDLE_SECONDS = 60
CONVERSATIONS = 10


@pytest.fixture(scope="module")
def site(tmp_path_factory, live_upstream_server):
    # One person asks ten answers at once: more than a person's streaming limit (3),
    # which is not what this test is about.
    with redis_site(
        tmp_path_factory.mktemp("soak"),
        live_upstream_server,
        LIMIT_STREAMING_ANSWERS=str(CONVERSATIONS),
    ) as site:
        site.start_server()
        site.start_server()
        yield site


def make_conversations(site, count):
    output = site.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; from chat.models import Conversation; "
        f"alice = User.objects.get(username='alice'); "
        f"print(*[Conversation.objects.create(owner=alice).code for _ in range({count})])",
    )
    # Only the codes: the shell may print a line of its own first.
    return re.findall(r"[0-9a-f]{8}-[0-9a-f-]{27}", output)


async def test_it_streams_to_twenty_sockets_after_a_minute_idle_on_redis(site, live_upstream):
    a, b = site.servers
    alice = login(a, "alice")
    cookie = alice.cookies["sessionid"]
    codes = make_conversations(site, CONVERSATIONS)
    pairs = [
        (await socket_to(a, code, cookie=cookie), await socket_to(b, code, cookie=cookie))
        for code in codes
    ]
    sockets = [socket for pair in pairs for socket in pair]
    try:
        await asyncio.sleep(IDLE_SECONDS)
        idle_closed = [s for s in sockets if s.state is not State.OPEN]
        # Each conversation asked from one process or the other, all at once.
        for number, pair in enumerate(pairs):
            await pair[number % 2].send(
                json.dumps({"action": "send", "text": "Hello", "model": "gpt-4o"})
            )
        received = await asyncio.gather(*(receive_until(s, "done", "error") for s in sockets))
    finally:
        for socket in sockets:
            await socket.close()

    assert idle_closed == []
    for events in received:
        answer_id = next(e["message"]["id"] for e in events if e["type"] == "answer")
        assert events[-1]["type"] == "done"
        assert streamed_text(events, answer_id) == "".join(DEFAULT_TOKENS)
    for server in (a, b):
        log = server.log()
        for trouble in ("ERROR", "Traceback", "TimeoutError", "Timeout reading"):
            assert trouble not in log, f"{trouble} in the log of {server.url}:\n{log[-3000:]}"
