"""Issue 17, finding 4, across processes: a logout served by one daphne process
closes the person's socket held by another (PostgreSQL and Redis, so the
person's group reaches every process). Before issue 17 the socket went on
sending, since the login was checked only at connect."""

import asyncio
import json

import pytest
from websockets.exceptions import ConnectionClosed

from tests.support.live import login, open_conversation, redis_site, socket_to


@pytest.fixture(scope="module")
def site(tmp_path_factory, live_upstream_server):
    with redis_site(tmp_path_factory.mktemp("session-end"), live_upstream_server) as site:
        site.start_server()
        site.start_server()
        yield site


async def a_path(socket):
    """Ask for the conversation and wait for its path: the socket is served."""
    await socket.send(json.dumps({"action": "resume", "shown": []}))
    async with asyncio.timeout(20):
        while json.loads(await socket.recv())["type"] != "path":
            pass


async def closed_with(socket):
    """The close code once the server closes `socket`, reading what comes before."""
    try:
        async with asyncio.timeout(20):
            while True:
                await socket.recv()
    except ConnectionClosed:
        return socket.close_code


async def test_a_logout_on_one_process_closes_the_persons_socket_on_the_other(site):
    a, b = site.servers
    alice = login(a, "alice")
    other_session = login(a, "alice")
    code = open_conversation(alice)

    async with (
        socket_to(b, code, cookie=alice.cookies["sessionid"]) as logged_out,
        socket_to(b, code, cookie=other_session.cookies["sessionid"]) as still_in,
    ):
        await a_path(logged_out)
        await a_path(still_in)
        response = alice.post("/logout/", headers={"X-CSRFToken": alice.cookies["csrftoken"]})
        assert response.status_code == 302

        assert await closed_with(logged_out) == 4401
        # The person's other session keeps its socket: it is still served.
        await a_path(still_in)
