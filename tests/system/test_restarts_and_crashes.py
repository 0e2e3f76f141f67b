"""Restarts and crashes, as an operator causes them: `manage.py serve` processes
on PostgreSQL and Redis, sent SIGTERM, SIGKILL and SIGSTOP mid-answer."""

import asyncio
import json
import signal

import pytest

from chat.testing.upstream import Reply
from tests.support.live import login, receive_until, redis_site, socket_to, wait_for
from tests.support.websocket import streamed_text

HELD = ["Only ", "this ", "part", " and the rest."]
# Short, so that a test of a dead process does not wait half a minute.
ABANDONED_SECONDS = 6


@pytest.fixture(scope="module")
def site(tmp_path_factory, live_upstream_server):
    with redis_site(
        tmp_path_factory.mktemp("lifecycle"),
        live_upstream_server,
        ANSWER_ABANDONED_SECONDS=str(ABANDONED_SECONDS),
    ) as site:
        yield site


@pytest.fixture
def servers(site):
    """Start processes for one test; stop whatever is left of them after it."""
    started = []

    def start(**variables):
        server = site.start_server(**variables)
        started.append(server)
        return server

    yield start
    for server in started:
        server.stop()


def new_conversation(client):
    """A new conversation of the client's user; return its code."""
    response = client.post("/c/new/", headers={"X-CSRFToken": client.cookies["csrftoken"]})
    assert response.status_code == 302, response.status_code
    return response.headers["location"].strip("/").rsplit("/", 1)[-1]


def send(text="Go"):
    return json.dumps({"action": "send", "text": text, "model": "gpt-4o"})


async def streamed_until(socket, answer_id, text):
    events = []
    while streamed_text(events, answer_id) != text:
        events.append(json.loads(await socket.recv()))
    return events


def stored(site, answer_id):
    return site.query("SELECT status, error_code, text FROM chat_message WHERE id = %s", answer_id)[
        0
    ]


async def start_held_answer(socket):
    """Send a message whose answer streams "Only this " and then waits; return its id."""
    await socket.send(send())
    answer_id = (await receive_until(socket, "answer"))[-1]["message"]["id"]
    await streamed_until(socket, answer_id, "Only this ")
    return answer_id


async def test_it_lets_an_answer_finish_on_sigterm_and_refuses_new_ones(
    site, servers, live_upstream
):
    server = servers(SHUTDOWN_GRACE_SECONDS="30")
    alice = login(server, "alice")
    code = new_conversation(alice)
    live_upstream.queue(Reply(tokens=HELD, hold_after=2))

    async with socket_to(server, code, cookie=alice.cookies["sessionid"]) as socket:
        answer_id = await start_held_answer(socket)
        server.signal(signal.SIGTERM)
        wait_for(lambda: "shutting down: 1 answers" in server.log(), message="the shutdown")
        await socket.send(send("Another one"))
        refused = await receive_until(socket, "error")
        live_upstream.release.set()
        finished = await receive_until(socket, "done", "error")
        await socket.wait_closed()

    assert refused[-1]["code"] == "restarting"
    assert "restarting" in refused[-1]["error"] and "again in a moment" in refused[-1]["error"]
    assert finished[-1]["type"] == "done"
    assert stored(site, answer_id) == ("complete", "", "Only this part and the rest.")
    # 4012: service restart; the page reconnects, to another process.
    assert socket.close_code == 4012
    assert server.wait_for_exit() == 0


async def test_it_interrupts_a_longer_answer_after_the_grace_period_and_tells_every_socket(
    site, servers, live_upstream
):
    a = servers(SHUTDOWN_GRACE_SECONDS="1")
    b = servers()
    alice = login(a, "alice")
    code = new_conversation(alice)
    live_upstream.queue(Reply(tokens=HELD, hold_after=2))  # never released

    async with (
        socket_to(a, code, cookie=alice.cookies["sessionid"]) as on_a,
        socket_to(b, code, cookie=alice.cookies["sessionid"]) as on_b,
    ):
        answer_id = await start_held_answer(on_a)
        await streamed_until(on_b, answer_id, "Only this ")
        a.signal(signal.SIGTERM)
        told_a, told_b = await asyncio.gather(
            receive_until(on_a, "done", "error"), receive_until(on_b, "done", "error")
        )
        await on_a.wait_closed()

    for told in (told_a, told_b):
        assert told[-1]["code"] == "interrupted"
        assert "server restarted" in told[-1]["error"]
        assert told[-1]["message"]["text"] == "Only this "
    assert stored(site, answer_id) == ("error", "interrupted", "Only this ")
    assert on_a.close_code == 4012
    assert a.wait_for_exit() == 0


async def test_it_loses_nothing_in_a_rolling_restart_of_two_processes(site, servers, live_upstream):
    a, b = servers(SHUTDOWN_GRACE_SECONDS="30"), servers(SHUTDOWN_GRACE_SECONDS="30")
    alice = login(a, "alice")
    cookie = alice.cookies["sessionid"]
    live_upstream.queue(*[Reply(tokens=HELD, hold_after=2) for _ in range(3)])

    # An answer running on each process, each watched from the other one.
    first = new_conversation(alice)
    async with (
        socket_to(a, first, cookie=cookie) as first_on_a,
        socket_to(b, first, cookie=cookie) as first_on_b,
    ):
        on_a = await start_held_answer(first_on_a)
        second = new_conversation(alice)
        async with socket_to(b, second, cookie=cookie) as second_on_b:
            on_b = await start_held_answer(second_on_b)
            # Restart A: its answer finishes within the grace period.
            a.signal(signal.SIGTERM)
            wait_for(lambda: "shutting down: 1 answers" in a.log(), message="A's shutdown")
            live_upstream.release.set()
            seen_on_b = await receive_until(first_on_b, "done", "error")
            await receive_until(second_on_b, "done", "error")
    assert a.wait_for_exit() == 0

    # The new A takes over; then B restarts with an answer streaming there.
    a2 = servers(SHUTDOWN_GRACE_SECONDS="30")
    live_upstream.release.clear()
    async with (
        socket_to(b, second, cookie=cookie) as second_on_b,
        socket_to(a2, second, cookie=cookie) as second_on_a2,
    ):
        again = await start_held_answer(second_on_b)
        b.signal(signal.SIGTERM)
        wait_for(lambda: "shutting down: 1 answers" in b.log(), message="B's shutdown")
        live_upstream.release.set()
        seen_on_a2 = await receive_until(second_on_a2, "done", "error")
    assert b.wait_for_exit() == 0

    assert seen_on_b[-1]["type"] == seen_on_a2[-1]["type"] == "done"
    for answer_id in (on_a, on_b, again):
        assert stored(site, answer_id) == ("complete", "", "Only this part and the rest.")


async def test_it_settles_an_answer_of_a_killed_process_from_a_new_one_with_no_socket(
    site, servers, live_upstream
):
    a = servers()
    alice = login(a, "alice")
    code = new_conversation(alice)
    live_upstream.queue(Reply(tokens=HELD, hold_after=2))
    async with socket_to(a, code, cookie=alice.cookies["sessionid"]) as socket:
        answer_id = await start_held_answer(socket)
        # The heartbeat saves the text every second.
        wait_for(lambda: stored(site, answer_id)[2] == "Only this ", message="the partial save")
        a.signal(signal.SIGKILL)
        a.wait_for_exit()

    replacement = servers()
    # Nobody opens the conversation: the new process finds the answer itself.
    wait_for(
        lambda: stored(site, answer_id)[0] != "streaming",
        timeout=ABANDONED_SECONDS * 4,
        message="the answer settled",
    )

    assert stored(site, answer_id) == ("error", "interrupted", "Only this ")
    assert f"answer {answer_id} settled as interrupted" in replacement.log()


async def test_it_does_not_interrupt_an_answer_whose_process_is_frozen_for_a_while(
    site, servers, live_upstream
):
    a, b = servers(), servers()
    alice = login(a, "alice")
    code = new_conversation(alice)
    live_upstream.queue(Reply(tokens=HELD, hold_after=2))
    cookie = alice.cookies["sessionid"]

    async with socket_to(a, code, cookie=cookie) as on_a:
        answer_id = await start_held_answer(on_a)
        # A's event loop (the whole process) stops for three times the old
        # 1-second ping timeout, while a socket opens on B (which checks the
        # conversation for an abandoned answer) and B's sweep runs.
        a.signal(signal.SIGSTOP)
        try:
            on_b = await socket_to(b, code, cookie=cookie)
            await asyncio.sleep(3)
        finally:
            a.signal(signal.SIGCONT)
        live_upstream.release.set()
        finished, seen_on_b = await asyncio.gather(
            receive_until(on_a, "done", "error"), receive_until(on_b, "done", "error")
        )
        await on_b.close()

    assert seen_on_b[-1]["type"] == "done"
    assert finished[-1]["type"] == "done"
    assert stored(site, answer_id) == ("complete", "", "Only this part and the rest.")
    assert f"answer {answer_id} settled" not in a.log() + b.log()
