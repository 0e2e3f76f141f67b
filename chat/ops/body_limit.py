"""Refuse request bodies over the limit at the ASGI level, before Django reads
them: Django's ASGI handler spools the whole body before any view runs, and
DATA_UPLOAD_MAX_MEMORY_SIZE does not count file data.

A declared Content-Length over the limit is answered with 413 at once, the body
unread; a body that turns out longer (chunked, with no length) is cut off where
it crosses the limit, and the application is told the client went away.
"""

import json

from django.conf import settings


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB"


def refusal(limit, size=None):
    """The 413 body: a sentence for the page, which shows upload errors as they come."""
    what = f"The request is {_megabytes(size)}" if size else "The request is too large"
    return json.dumps(
        {
            "error": f"{what}; at most {_megabytes(limit)} is accepted "
            f"(images up to {_megabytes(settings.IMAGE_MAX_BYTES)}, documents up to "
            f"{_megabytes(settings.DOCUMENT_MAX_BYTES)})."
        }
    ).encode()


class BodyLimit:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = settings.REQUEST_MAX_BYTES_BY_PATH.get(scope["path"], settings.REQUEST_MAX_BYTES)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            return await _send_413(send, refusal(limit, declared))
        seen = 0
        cut = False
        response_started = False

        async def limited_receive():
            nonlocal seen, cut
            if cut:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    cut = True
                    if not response_started:
                        await _send_413(send, refusal(limit))
                    return {"type": "http.disconnect"}
            return message

        async def tracked_send(message):
            nonlocal response_started
            if cut:
                return  # our 413 went out instead
            response_started = True
            await send(message)

        return await self.app(scope, limited_receive, tracked_send)


def _content_length(scope):
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def _send_413(send, body):
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
