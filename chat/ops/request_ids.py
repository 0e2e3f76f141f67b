"""One request id per answer, on every log line written while it runs.

The consumer sets `request_id` when a "send" frame arrives; the answer task
started from that frame copies the context, so the gateway request (its
X-Request-ID header), the answer's log lines and the stored message
(`Message.request_id`) all carry the same id. LOG_FORMAT=json writes log lines
as JSON objects (python-json-logger) with the id as a field.
"""

import logging
import uuid
from contextvars import ContextVar

request_id = ContextVar("request_id", default="")


def new_request_id():
    """Start a request id for what the current frame asks; return it."""
    value = uuid.uuid4().hex
    request_id.set(value)
    return value


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record ("-" outside an answer)."""

    def filter(self, record):
        record.request_id = request_id.get() or "-"
        return True
