"""The only module that speaks HTTP to MyTokenGate (an OpenAI-compatible gateway).

One public function, `stream_chat`, streams one chat completion:

    async for event in stream_chat(body={"model": "gpt-4o", "messages": [...]}):
        if isinstance(event, TextDelta):
            print(event.text, end="")
        elif isinstance(event, ImageDelta):
            keep(event.data_uri)  # "data:image/png;base64,..." from an image model
        elif isinstance(event, Finished):
            print(event.reason, event.prompt_tokens, event.completion_tokens)

Failures raise a subclass of GatewayError whose `message` is a sentence for the
user (it never contains the API key):

    try:
        async for event in stream_chat(body=body): ...
    except GatewayRateLimited as error:
        error.code       # "rate_limited"
        error.message    # "The gateway is rate-limiting requests (429); try again in 30 seconds."
        error.status     # 429, the HTTP status (None when no response came)

What real gateways send, and what we make of it:

- The OpenAI stream: a role-only chunk, content deltas, a chunk with the
  finish reason, a usage chunk with empty `choices` (asked for with
  `stream_options.include_usage`), then `data: [DONE]`. SSE comments
  (": PROCESSING" keep-alives) and empty `choices` are skipped.
- Gemini's endpoint puts usage on the finish chunk or on every chunk. It is
  cumulative, so the last value wins; adding them up would be wrong.
- Errors come as `{"error": {...}}` (OpenAI, LiteLLM, OpenRouter) or
  `{"object": "error", "message": ...}` (vLLM), as an HTTP error body or inside
  a 200 stream, before or after the first tokens; OpenRouter's in-stream error
  also ends its choice with `finish_reason: "error"`. chat/gateway/failures.py
  sorts each into a kind of failure with our sentence; the gateway's own text
  is kept on the error as `raw`, never shown.
- Image models send `delta.images[]` data URIs; some gateways put the data
  URI (possibly as markdown, `![](data:...)`) into the content instead. Both
  become ImageDelta events.
- A stream that ends without `[DONE]` and without a finish reason was cut:
  GatewayInterrupted. (The official SDK accepts it silently; we don't.)

Retries happen in one place, `stream_chat`, and only before the first token or
image has been handed to the caller: connect errors and connect timeouts, 408,
429 (but not an exhausted quota) and 5xx, a stream cut before anything
arrived, and an in-stream error of a transient kind (connection, timeout,
overloaded, rate limit, 5xx) before anything arrived. The wait is the
gateway's `retry-after-ms`, `Retry-After` (seconds or an HTTP date) or
LiteLLM's `llm_provider-retry-after` when present, then a wait the error's
text asks for ("Try again in 5 seconds": LiteLLM's cool-down), else
exponential backoff with jitter as in the official SDK (0.5 s doubling, capped
at 8 s). A requested wait longer than TOKENGATE_RETRY_AFTER_MAX_SECONDS is not
waited out: the user is told when to try again instead. When a proxy says it
already retried (LiteLLM's `x-litellm-attempted-retries`), we add none.

Every HTTP request is logged on one line of the "chat.gateway" logger: model,
image count, bytes sent, HTTP status, outcome, time to first token, total time
and tokens; never the key, never image bytes.
"""

import asyncio
import json
import logging
import random
import time
import weakref
from contextlib import aclosing

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from chat.gateway import failures, network, sse
from chat.gateway.errors import (
    GatewayAuthError,
    GatewayError,
    GatewayInterrupted,
    GatewayTimeout,
    GatewayUnavailable,
)
from chat.gateway.events import Finished
from chat.ops import metrics, request_ids

# Operators filter on this name: it stays "chat.gateway" wherever the module lives.
logger = logging.getLogger("chat.gateway")


# One pooled client per event loop: an httpx.AsyncClient must not outlive its loop.
_clients = weakref.WeakKeyDictionary()


def _client():
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        # Each streaming answer holds a connection for its whole length.
        limits = httpx.Limits(
            max_connections=settings.TOKENGATE_MAX_CONNECTIONS, max_keepalive_connections=100
        )
        client = httpx.AsyncClient(
            transport=network.transport(limits=limits),
            mounts=network.proxy_mounts(limits=limits),
        )
        _clients[loop] = client
    return client


def warm():
    """Make this event loop's pooled client, and import what its first request
    would (anyio's asyncio backend, which httpcore loads then): a process's
    first answers do not pay for them. Its TLS context alone, with certifi's
    certificates read, took about 0.1 s, and the imports another 0.13 s, on the
    first burst of 50 answers after a restart (py-spy, 3 December 2026)."""
    import anyio._backends._asyncio
    import anyio._core._synchronization  # noqa: F401

    _client()


# How long an answer waits for a free connection when all are streaming.
POOL_SECONDS = 30.0


def _timeout():
    return httpx.Timeout(
        settings.TOKENGATE_READ_TIMEOUT,
        connect=settings.TOKENGATE_CONNECT_TIMEOUT,
        pool=POOL_SECONDS,
    )


def _retry_delay(failure, retries_done):
    """Seconds to wait before the next attempt, or None to give up now."""
    if failure.retry_after is not None:
        if failure.retry_after > settings.TOKENGATE_RETRY_AFTER_MAX_SECONDS:
            return None  # the user is better told "try again in 10 minutes" than kept waiting
        return failure.retry_after
    backoff = min(
        settings.TOKENGATE_RETRY_BASE_SECONDS * 2**retries_done,
        settings.TOKENGATE_RETRY_MAX_SECONDS,
    )
    return backoff * (1 - 0.25 * random.random())  # jitter, as the official SDK does


def _count_images(body):
    return sum(
        1
        for message in body.get("messages", [])
        if isinstance(message.get("content"), list)
        for part in message["content"]
        if part.get("type") == "image_url"
    )


class _Attempt:
    """What one HTTP request did, for its log line."""

    def __init__(self, *, model, images, size, number):
        self.model, self.images, self.size, self.number = model, images, size, number
        self.status = self.first_token = self.finished = self.retry_in = None
        self.outcome = "unfinished"
        self.proxy_retries = 0  # retries a proxy in front of the gateway already made
        self.upstream_error = ""
        self.started = time.monotonic()

    def _ms(self, moment):
        return None if moment is None else round((moment - self.started) * 1000)

    def log(self):
        fields = {
            "model": self.model,
            "images": self.images,
            "bytes": self.size,
            "attempt": self.number,
            "status": self.status,
            "outcome": self.outcome,
            "first_token_ms": self._ms(self.first_token),
            "total_ms": self._ms(time.monotonic()),
            "prompt_tokens": self.finished and self.finished.prompt_tokens,
            "completion_tokens": self.finished and self.finished.completion_tokens,
        }
        if self.retry_in is not None:
            fields["retry_in_ms"] = round(self.retry_in * 1000)
        if self.proxy_retries:
            fields["proxy_retries"] = self.proxy_retries
        if self.upstream_error:
            # Quoted, so the line stays one line of key=value pairs.
            fields["upstream_error"] = json.dumps(self.upstream_error, ensure_ascii=False)
        metrics.gateway_request(
            outcome=self.outcome, status=self.status, retried=self.retry_in is not None
        )
        level = logging.INFO if self.outcome in ("complete", "stopped") else logging.WARNING
        line = " ".join(f"{name}={value}" for name, value in fields.items())
        logger.log(level, "gateway request %s", line)


async def stream_chat(*, body):
    """Stream one completion for the OpenAI-shaped `body`, retrying before the first token.

    Yields TextDelta, ImageDelta and, last, one Finished; raises a GatewayError.
    Closing the generator (or cancelling its consumer) closes the HTTP stream
    at once, so the gateway stops generating.
    """
    if not settings.TOKENGATE_API_KEY:
        raise GatewayAuthError(
            "No gateway API key is configured: the administrator must set TOKENGATE_API_KEY "
            "(or choose the offline demo model).",
            code="no_api_key",
        )
    body = {**body, "stream": True, "stream_options": {"include_usage": True}}
    content = json.dumps(body).encode()
    number = 0
    while True:
        number += 1
        attempt = _Attempt(
            model=body.get("model"), images=_count_images(body), size=len(content), number=number
        )
        try:
            async with aclosing(_stream_once(content, body.get("model"), attempt)) as events:
                async for event in events:
                    if attempt.first_token is None and not isinstance(event, Finished):
                        attempt.first_token = time.monotonic()
                    if isinstance(event, Finished):
                        attempt.finished = event
                    yield event
            attempt.outcome = "complete"
            return
        except GatewayError as failure:
            attempt.outcome, attempt.upstream_error = failure.code, failure.raw
            # Once the user has seen output, a retry would show it twice; and a
            # proxy that already retried must not have its retries multiplied.
            if (
                not failure.permanent
                and attempt.first_token is None
                and not attempt.proxy_retries
                and number <= settings.TOKENGATE_MAX_RETRIES
            ):
                attempt.retry_in = _retry_delay(failure, number - 1)
            if attempt.retry_in is None:
                raise
        except (asyncio.CancelledError, GeneratorExit):
            attempt.outcome = "stopped"
            raise
        finally:
            attempt.log()
        await asyncio.sleep(attempt.retry_in)


async def _stream_once(content, model, attempt):
    url = settings.TOKENGATE_BASE_URL.rstrip("/") + "/chat/completions"
    headers = {
        "Authorization": f"Bearer {settings.TOKENGATE_API_KEY}",
        "Content-Type": "application/json",
        "Accept": "text/event-stream",
    }
    if request_id := request_ids.request_id.get():
        headers["X-Request-ID"] = request_id  # the gateway's logs can be matched with ours
    try:
        async with _client().stream(
            "POST", url, content=content, headers=headers, timeout=_timeout()
        ) as response:
            attempt.status = response.status_code
            attempt.proxy_retries = failures.proxy_retries(response.headers)
            if response.status_code >= 400:
                raw = await _read_some(response)
                status, headers = response.status_code, response.headers
                raise failures.for_response(status, raw, headers, model=model)
            content_type = response.headers.get("content-type", "").partition(";")[0].strip()
            if content_type != "text/event-stream":
                raise failures.for_json_body(await _read_some(response), content_type)
            async with aclosing(sse.read_events(response, model)) as events:
                async for event in events:
                    yield event
    except httpx.ConnectTimeout:
        raise GatewayTimeout(
            _(
                "The gateway did not accept the connection within %(seconds)s seconds; "
                "try again in a moment."
            )
            % {"seconds": f"{settings.TOKENGATE_CONNECT_TIMEOUT:g}"},
            code="connect_timeout",
            permanent=False,
        ) from None
    except httpx.PoolTimeout:
        raise GatewayTimeout(
            _(
                "All %(connections)s connections to the gateway were busy for %(seconds)s "
                "seconds; try again in a moment."
            )
            % {"connections": settings.TOKENGATE_MAX_CONNECTIONS, "seconds": f"{POOL_SECONDS:g}"},
            code="pool_timeout",
            permanent=False,
        ) from None
    except httpx.TimeoutException:
        # Not retried: the gateway has the request and may be working (and
        # billing) on it; a retry would multiply a long wait.
        raise GatewayTimeout(
            _("The gateway sent nothing for %(seconds)s seconds; the answer was abandoned.")
            % {"seconds": f"{settings.TOKENGATE_READ_TIMEOUT:g}"},
            code="read_timeout",
            status=attempt.status,
        ) from None
    except httpx.ConnectError:
        raise GatewayUnavailable(
            _("Could not connect to the gateway; it may be down or unreachable."),
            code="connect_error",
        ) from None
    except httpx.TransportError as error:
        raise GatewayInterrupted(
            _(failures.CONNECTION_BROKE),
            status=attempt.status,
            raw=f"{type(error).__name__}: {error}",
        ) from None


async def _read_some(response):
    raw = b""
    async for chunk in response.aiter_bytes():
        raw += chunk
        if len(raw) >= failures.ERROR_BODY_BYTES:
            break
    return raw[: failures.ERROR_BODY_BYTES].decode("utf-8", "replace")
