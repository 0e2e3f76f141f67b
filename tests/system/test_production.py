"""The production configuration against real services: DEBUG off, PostgreSQL,
Redis between two daphne processes, S3 (a moto server), static files by
whitenoise after collectstatic."""

import asyncio
import hashlib
import json
import re
from urllib.parse import urljoin

import pytest

from chat.testing.upstream import Reply
from tests.support.images import image_bytes
from tests.support.live import (
    Site,
    free_port,
    login,
    open_conversation,
    receive_until,
    socket_to,
    upload,
    wait_for,
)
from tests.support.services import (
    flushed_redis,
    require_postgres,
    require_redis,
    throwaway_postgres_database,
)
from tests.support.websocket import streamed_text

BUCKET = "tokengate-test-images"
S3_KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


@pytest.fixture(scope="module")
def s3():
    """A moto S3 server on loopback with an empty bucket; yields (endpoint, boto3 client)."""
    import boto3
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=free_port(), verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **S3_KEYS)
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture(scope="module")
def production(tmp_path_factory, s3, live_upstream_server):
    """A site configured as in production, served by two daphne processes."""
    require_postgres()
    require_redis()
    endpoint, _ = s3
    with throwaway_postgres_database() as database_url, flushed_redis() as redis_url:
        site = Site(
            tmp_path_factory.mktemp("production"),
            DEBUG="false",
            SECRET_KEY="a-production-secret-for-the-tests-only",
            ALLOWED_HOSTS="127.0.0.1",
            # The tests speak plain HTTP; behind a TLS proxy the cookies stay secure.
            SECURE_COOKIES="false",
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            S3_BUCKET=BUCKET,
            S3_ENDPOINT_URL=endpoint,
            S3_REGION="us-east-1",
            S3_ACCESS_KEY_ID=S3_KEYS["aws_access_key_id"],
            S3_SECRET_ACCESS_KEY=S3_KEYS["aws_secret_access_key"],
            TOKENGATE_BASE_URL=live_upstream_server.url,
            TOKENGATE_API_KEY="sk-production-test-key",
        )
        try:
            site.manage("collectstatic", "--noinput", "-v", "0")
            site.migrate()
            site.create_user("alice")
            site.start_server()
            site.start_server()
            yield site
        finally:
            site.stop()


@pytest.fixture(scope="module")
def alice(production):
    # One login: the session lives in PostgreSQL, so it is good on both processes.
    client = login(production.servers[0], "alice")
    yield client
    client.close()


async def receive_text(socket, message_id, text):
    """Read events until the answer's streamed text is `text`."""
    events = []
    while streamed_text(events, message_id) != text:
        events.append(json.loads(await socket.recv()))
    return events


def send_action(**content):
    return json.dumps(content)


async def test_it_streams_the_same_tokens_to_sockets_on_both_processes(
    production, live_upstream, alice
):
    a, b = production.servers
    code = open_conversation(alice)
    image_id = upload(alice, image_bytes("PNG", size=(32, 32)), "red.png", server=b).json()["id"]
    live_upstream.queue(Reply(tokens=["Seen ", "from ", "both ", "processes."]))

    async with (
        socket_to(a, code, cookie=alice.cookies["sessionid"]) as on_a,
        socket_to(b, code, cookie=alice.cookies["sessionid"]) as on_b,
    ):
        await on_a.send(
            send_action(action="send", text="Hello", model="gpt-4o", images=[{"id": image_id}])
        )
        events_a, events_b = await asyncio.gather(
            receive_until(on_a, "done", "error"), receive_until(on_b, "done", "error")
        )

    answer_id = events_a[1]["message"]["id"]
    assert [e["type"] for e in events_b[:2]] == ["message", "answer"]
    assert streamed_text(events_a, answer_id) == "Seen from both processes."
    assert streamed_text(events_b, answer_id) == "Seen from both processes."
    assert events_b[-1]["type"] == "done"
    assert events_b[0]["message"]["images"][0]["id"] == image_id


async def test_it_stops_an_answer_running_in_the_other_process(production, live_upstream, alice):
    a, b = production.servers
    code = open_conversation(alice)
    live_upstream.queue(Reply(tokens=["Only ", "this ", "part", " not this"], hold_after=2))

    async with (
        socket_to(a, code, cookie=alice.cookies["sessionid"]) as on_a,
        socket_to(b, code, cookie=alice.cookies["sessionid"]) as on_b,
    ):
        await on_a.send(send_action(action="send", text="Go", model="gpt-4o"))
        started = await receive_until(on_b, "answer")
        answer_id = started[-1]["message"]["id"]
        await receive_text(on_b, answer_id, "Only this ")

        await on_b.send(send_action(action="stop", message=answer_id))
        finished_b = await receive_until(on_b, "done", "error")
        finished_a = await receive_until(on_a, "done", "error")

    assert finished_a[-1]["message"]["status"] == finished_b[-1]["message"]["status"] == "stopped"
    assert production.query("SELECT status, text FROM chat_message WHERE id = %s", answer_id) == [
        ("stopped", "Only this ")
    ]
    # The answer ran in process A (whose socket sent it) and was stopped there.
    wait_for(lambda: f"answer {answer_id} " in a.log(), message="process A logging the answer")
    assert "status=stopped" in a.log()
    assert f"answer {answer_id} " not in b.log()


def test_it_stores_the_image_bytes_in_the_bucket(production, s3, alice):
    a, b = production.servers
    data = image_bytes("PNG", size=(20, 30), color=(10, 200, 10))
    digest = hashlib.sha256(data).hexdigest()

    uploaded = upload(alice, data, "green.png", server=a)

    assert uploaded.status_code == 201
    _, client = s3
    stored = client.get_object(Bucket=BUCKET, Key=f"images/{digest[:2]}/{digest}.png")
    assert stored["Body"].read() == data
    # Either process serves it back from the bucket.
    served = alice.get(f"{b.url}/images/{uploaded.json()['id']}/")
    assert served.status_code == 200 and served.content == data


def test_it_serves_static_files_with_whitenoise_when_debug_is_off(production, alice):
    server = production.servers[1]
    page = alice.get(f"{server.url}/login/").text
    # collectstatic's manifest gives each file a content hash in its name.
    href = re.search(r'href="(/static/css/base\.[0-9a-f]{12}\.css)"', page).group(1)

    response = alice.get(f"{server.url}{href}")

    assert response.status_code == 200
    assert "[hidden]" in response.text
    assert "immutable" in response.headers["cache-control"]
    # DEBUG really is off: a missing page is a plain 404, not Django's debug page.
    missing = alice.get(f"{server.url}/no-such-page/")
    assert missing.status_code == 404 and "URLconf" not in missing.text


def test_it_serves_the_page_modules_under_hashed_names_that_import_each_other_by_hash(
    production, alice
):
    server = production.servers[0]
    code = open_conversation(alice)
    page = alice.get(f"{server.url}/c/{code}/").text
    entry = re.search(
        r'<script type="module" src="(/static/js/chat/main\.[0-9a-f]{12}\.js)"', page
    ).group(1)

    # Follow every import from the entry, static and dynamic: each names a hashed
    # file that is served, so a changed module can never come from a stale cache.
    seen, pending, static_imports = set(), [entry], set()
    while pending:
        url = pending.pop()
        seen.add(url)
        response = alice.get(f"{server.url}{url}")
        assert response.status_code == 200, url
        assert "immutable" in response.headers["cache-control"]
        if not url.startswith("/static/js/"):
            continue  # a vendored library: no imports of its own
        for keyword, name in re.findall(r'(from |import\()"([^"]+)"', response.text):
            target = urljoin(url, name)
            assert re.search(r"\.[0-9a-f]{12}\.m?js$", target), (url, name)
            if keyword == "from ":
                static_imports.add(target)
            if target not in seen:
                pending.append(target)
    # The page preloads exactly the hashed files its static imports ask for.
    assert set(re.findall(r'<link rel="modulepreload" href="([^"]+)"', page)) == static_imports
    names = {re.sub(r"\.[0-9a-f]{12}\.m?js$", "", url.rsplit("/", 1)[1]) for url in seen}
    assert {"main", "socket", "transcript", "composer", "attachments"} <= names
    assert {"katex", "highlight.min", "purify.es"} <= names  # loaded on first need
