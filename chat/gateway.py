"""The only module that speaks HTTP to MyTokenGate (an OpenAI-compatible gateway).

One public function, `stream_chat`, streams one chat completion:

    async for event in stream_chat(body={"model": "gpt-4o", "messages": [...]}):
        if isinstance(event, TextDelta):
            print(event.text, end="")
        elif isinstance(event, Finished):
            print(event.reason, event.prompt_tokens, event.completion_tokens)

Failures raise GatewayError, whose `message` is a sentence for the user.
"""

import asyncio
import json
import logging
import weakref
from dataclasses import dataclass

import httpx
from django.conf import settings
from httpx_sse import SSEError, aconnect_sse

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True)
class Finished:
    reason: str | None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None


class GatewayError(Exception):
    """A failed model call. `message` is for the user; `permanent` means retrying won't help."""

    def __init__(self, message, *, code, permanent=True, status=None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.permanent = permanent
        self.status = status


# One pooled client per event loop: an httpx.AsyncClient must not outlive its loop.
_clients = weakref.WeakKeyDictionary()


def _client():
    loop = asyncio.get_running_loop()
    client = _clients.get(loop)
    if client is None:
        timeout = httpx.Timeout(
            settings.TOKENGATE_READ_TIMEOUT, connect=settings.TOKENGATE_CONNECT_TIMEOUT
        )
        client = httpx.AsyncClient(timeout=timeout, limits=httpx.Limits(max_connections=100))
        _clients[loop] = client
    return client


def _error_for_status(status, detail):
    if status in (401, 403):
        return GatewayError(
            "The gateway refused the API key. The administrator must set a valid "
            "TOKENGATE_API_KEY.",
            code="unauthorized",
            status=status,
        )
    if status == 404:
        return GatewayError(
            "The gateway does not know this model.", code="unknown_model", status=status
        )
    if status == 429:
        return GatewayError(
            "The gateway is rate-limiting requests; try again in a moment.",
            code="rate_limited",
            permanent=False,
            status=status,
        )
    if status >= 500:
        return GatewayError(
            f"The gateway had a server error ({status}); try again in a moment.",
            code="gateway_unavailable",
            permanent=False,
            status=status,
        )
    suffix = f": {detail}" if detail else "."
    return GatewayError(
        f"The gateway refused the request ({status}){suffix}", code="bad_request", status=status
    )


def _error_detail(body):
    try:
        payload = json.loads(body)
    except ValueError:
        return ""
    error = payload.get("error") if isinstance(payload, dict) else None
    if isinstance(error, dict):
        return str(error.get("message", ""))
    return str(payload.get("message", "")) if isinstance(payload, dict) else ""


async def _stream_once(body, state):
    url = settings.TOKENGATE_BASE_URL.rstrip("/") + "/chat/completions"
    headers = {"Authorization": f"Bearer {settings.TOKENGATE_API_KEY}"}
    async with aconnect_sse(_client(), "POST", url, json=body, headers=headers) as source:
        response = source.response
        if response.status_code >= 400:
            raw = (await response.aread()).decode("utf-8", "replace")
            raise _error_for_status(response.status_code, _error_detail(raw))
        reason, usage = None, {}
        async for sse in source.aiter_sse():
            if sse.data == "[DONE]":
                yield Finished(reason, usage.get("prompt_tokens"), usage.get("completion_tokens"))
                return
            chunk = json.loads(sse.data)
            if chunk.get("usage"):
                usage = chunk["usage"]
            for choice in chunk.get("choices") or []:
                text = (choice.get("delta") or {}).get("content")
                if text:
                    state["streamed"] = True
                    yield TextDelta(text)
                reason = choice.get("finish_reason") or reason
    raise GatewayError(
        "The gateway closed the connection before the answer was finished.",
        code="interrupted",
        permanent=False,
    )


async def stream_chat(*, body):
    """Stream one completion for the OpenAI-shaped `body`, retrying before the first token."""
    if not settings.TOKENGATE_API_KEY:
        raise GatewayError(
            "No gateway API key is configured: the administrator must set TOKENGATE_API_KEY "
            "(or choose the offline demo model).",
            code="no_api_key",
        )
    body = {**body, "stream": True, "stream_options": {"include_usage": True}}
    state = {"streamed": False}
    attempt = 0
    while True:
        try:
            async for event in _stream_once(body, state):
                yield event
            return
        except (httpx.TransportError, SSEError, ValueError) as error:
            failure = _transport_error(error)
        except GatewayError as error:
            failure = error
        if failure.permanent or state["streamed"] or attempt >= settings.TOKENGATE_MAX_RETRIES:
            raise failure
        attempt += 1
        await asyncio.sleep(min(0.5 * 2 ** (attempt - 1), 8))


def _transport_error(error):
    if isinstance(error, httpx.ConnectError):
        return GatewayError(
            "Could not connect to the gateway.", code="connect_error", permanent=False
        )
    if isinstance(error, httpx.TimeoutException):
        return GatewayError("The gateway did not answer in time.", code="timeout", permanent=False)
    if isinstance(error, SSEError | ValueError):
        return GatewayError(
            "The gateway sent a response that is not a chat completion stream.",
            code="bad_response",
        )
    return GatewayError(
        "The connection to the gateway broke off.", code="interrupted", permanent=False
    )
