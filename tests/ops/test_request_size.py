"""Bodies over REQUEST_MAX_BYTES are refused at the ASGI level, before Django
reads them: from the declared Content-Length without reading a byte, or,
chunked, where the body crosses the limit."""

import asyncio

import pytest

from chat.models import ImageAttachment
from tokengate_site.asgi import application

pytestmark = pytest.mark.django_db(transaction=True)

MB = 1024 * 1024


@pytest.fixture(autouse=True)
def _small_limits(settings):
    settings.IMAGE_MAX_BYTES = 1 * MB
    settings.DOCUMENT_MAX_BYTES = 1.5 * MB
    settings.REQUEST_MAX_BYTES = 2 * MB


def scope(headers):
    return {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/upload/", "raw_path": b"/upload/", "query_string": b"",
        "root_path": "", "client": ("127.0.0.1", 50000), "server": ("127.0.0.1", 8000),
        "headers": [(b"host", b"127.0.0.1:8000"),
                    (b"content-type", b"multipart/form-data; boundary=x"), *headers],
    }  # fmt: skip


async def post(headers, chunks):
    """Run one request through the app; return (status, body, chunks it read)."""
    queue = list(chunks)
    read = 0
    sent = []

    async def receive():
        nonlocal read
        if not queue:
            await asyncio.sleep(3600)  # a client that sends nothing more
        read += 1
        body = queue.pop(0)
        return {"type": "http.request", "body": body, "more_body": bool(queue)}

    async def send(message):
        sent.append(message)

    await asyncio.wait_for(application(scope(headers), receive, send), timeout=30)
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], body.decode(), read


async def test_it_refuses_a_declared_length_over_the_limit_without_reading_the_body():
    status, body, read = await post([(b"content-length", str(30 * MB).encode())], [b"x" * MB])

    assert status == 413
    assert body == (
        '{"error": "The request is 30.0 MB; at most 2.0 MB is accepted '
        '(images up to 1.0 MB, documents up to 1.5 MB)."}'
    )
    assert read == 0


async def test_it_cuts_off_a_chunked_body_where_it_crosses_the_limit():
    status, body, read = await post([], [b"x" * MB] * 5)

    assert status == 413
    assert "The request is too large; at most 2.0 MB is accepted" in body
    assert read == 3  # the chunk that crossed the limit, and no more
    assert await ImageAttachment.objects.acount() == 0


async def test_it_lets_a_body_within_the_limit_through_to_django():
    # Django itself answers (no CSRF cookie), after reading the whole body.
    status, _, read = await post([(b"content-length", str(MB).encode())], [b"x" * MB])

    assert status == 403 and read == 1
