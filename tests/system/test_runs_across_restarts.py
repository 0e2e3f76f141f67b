"""A run on PostgreSQL and Redis, shared by two `manage.py serve` processes,
interrupted by stopping them both, picked up by a process started afterwards:
every item ends done, and the gateway received each exactly once."""

import signal

import pytest

from chat.testing.upstream import Reply
from tests.support.images import image_bytes
from tests.support.live import login, redis_site, upload, wait_for

ITEMS = 30


@pytest.fixture(scope="module")
def site(tmp_path_factory, live_upstream_server):
    with redis_site(
        tmp_path_factory.mktemp("runs"),
        live_upstream_server,
        LIMIT_MESSAGES_PER_MINUTE="0",
        LIMIT_UPLOADS_PER_MINUTE="0",
        LIMIT_STREAMING_ANSWERS="3",
        SHUTDOWN_GRACE_SECONDS="10",
    ) as site:
        yield site


def items(site, status):
    return site.query("SELECT count(*) FROM chat_runitem WHERE status = %s", status)[0][0]


def image_url(body):
    return body["messages"][1]["content"][1]["image_url"]["url"]


def test_it_resumes_a_run_after_a_restart_without_sending_an_item_twice(site, live_upstream):
    # Each item takes about 0.6 s at the gateway: the run is still going when stopped.
    live_upstream.reply_for = lambda body: Reply(seconds_between_tokens=0.1)
    a, b = site.start_server(), site.start_server()
    alice = login(a, "alice")
    codes = []
    for number in range(ITEMS):
        data = image_bytes("PNG", size=(40, 30), color=(number * 8, 90, 160))
        response = upload(alice, data, name=f"scan-{number + 1}.png")
        assert response.status_code == 201, response.text
        codes.append(response.json()["id"])
    response = alice.post(
        "/runs/new/",
        data={"prompt": "Read the total", "model": "gpt-4o", "images": codes},
        headers={"X-CSRFToken": alice.cookies["csrftoken"]},
    )
    assert response.status_code == 201, response.text
    run_url = response.json()["url"]

    wait_for(lambda: items(site, "done") >= 6, timeout=60, message="six items done")
    for server in (a, b):
        server.signal(signal.SIGTERM)
    assert [a.wait_for_exit(), b.wait_for_exit()] == [0, 0]
    done_before = items(site, "done")
    # Stopped midway: what was being sent finished in the grace, nothing is left running.
    assert 6 <= done_before < ITEMS
    assert items(site, "running") == 0

    c = site.start_server()
    wait_for(lambda: items(site, "done") == ITEMS, timeout=120, message="every item done")

    sent = [image_url(request.body) for request in live_upstream.requests]
    assert len(sent) == ITEMS and len(set(sent)) == ITEMS  # each item sent once
    assert site.query("SELECT DISTINCT attempts FROM chat_runitem") == [(1,)]
    status = login(c, "alice").get(run_url + "status/").json()
    assert (status["state"], status["done"], status["left"]) == ("finished", ITEMS, 0)
