"""The test-only side of the live server (chat/testing/live.py): logging in through
the real form, uploading, websockets, and a site on PostgreSQL and Redis.

    site = Site(tmp_path, TOKENGATE_BASE_URL=upstream.url, TOKENGATE_API_KEY="sk-test")
    site.migrate()
    site.create_user("alice")
    server = site.start_server()        # waits until the port answers
    client = login(server, "alice")     # through the real login form
    ...
    site.stop()
"""

import asyncio
import json
import re
from contextlib import contextmanager
from pathlib import Path

import httpx
from websockets.asyncio.client import connect

from chat.testing.live import (  # noqa: F401  (re-exported for the tests)
    PASSWORD,
    Server,
    Site,
    clean_environment,
    free_port,
    wait_for,
)

# The checkout: manage.py, .venv-litellm, ...
ROOT = Path(__file__).resolve().parents[2]


def login(server, username, password=PASSWORD):
    """An httpx.Client logged in through the real login form, CSRF included."""
    client = httpx.Client(base_url=server.url, trust_env=False, timeout=10)
    page = client.get("/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = client.post(
        "/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
    )
    if response.status_code != 302 or "sessionid" not in client.cookies:
        raise AssertionError(f"login as {username} failed ({response.status_code})")
    return client


def upload(client, data, name="picture.png", detail="auto", *, server=None):
    """POST an image to /upload/ (on `server`, if given) as the page's script does."""
    return client.post(
        f"{server.url}/upload/" if server else "/upload/",
        files={"file": (name, data, "application/octet-stream")},
        data={"detail": detail},
        headers={"X-CSRFToken": client.cookies["csrftoken"]},
    )


def open_conversation(client):
    """Follow "/" to the user's conversation; return its code."""
    response = client.get("/")
    assert response.status_code == 302, response.status_code
    return re.fullmatch(r"/c/([0-9a-f-]+)/", response.headers["location"]).group(1)


def socket_to(server, code, *, cookie=None, origin=None, **options):
    """A websocket to a conversation on `server`, as a browser with `cookie` would
    open it; `options` go to websockets' connect (max_queue, sock, ...)."""
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    return connect(
        f"{server.ws_url}/ws/chat/{code}/",
        origin=origin or server.url,
        additional_headers=headers,
        proxy=None,
        open_timeout=10,
        **options,
    )


async def receive_until(socket, *types, timeout=30):
    """Collect events up to and including the first whose type is in `types`;
    fail, saying what came, if `timeout` seconds pass without the next event."""
    events = []
    while True:
        try:
            frame = await asyncio.wait_for(socket.recv(), timeout)
        except TimeoutError:
            seen = [event["type"] for event in events]
            wanted = " or ".join(types)
            raise AssertionError(f"no {wanted} within {timeout} s; got {seen}") from None
        event = json.loads(frame)
        events.append(event)
        if event["type"] in types:
            return events


@contextmanager
def redis_site(workdir, upstream, **variables):
    """A Site on PostgreSQL and Redis (so several processes share answers), with
    user "alice", talking to the fake gateway `upstream`; its processes are
    stopped afterwards. Skips (fails in CI) without the services."""
    from tests.support.services import (
        flushed_redis,
        require_postgres,
        require_redis,
        throwaway_postgres_database,
    )

    require_postgres()
    require_redis()
    with throwaway_postgres_database() as database_url, flushed_redis() as redis_url:
        site = Site(
            workdir,
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            TOKENGATE_BASE_URL=upstream.url,
            TOKENGATE_API_KEY="sk-live-test-key",
            **variables,
        )
        try:
            site.migrate()
            site.create_user("alice")
            yield site
        finally:
            site.stop()
