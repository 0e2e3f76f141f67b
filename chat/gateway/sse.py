"""One chat-completions event stream (SSE) read into events: chunks parsed,
usage kept, inline images split out, errors in the stream raised."""

import json

from httpx_sse import EventSource, SSEError

from chat.gateway import failures
from chat.gateway.errors import GatewayBadResponse, GatewayInterrupted
from chat.gateway.events import PROVIDER_STATE_KEYS, Finished, ImageDelta, ProviderState
from chat.gateway.inline_images import InlineImages


async def read_events(response, model):
    """The events of one 200 response's SSE stream, as TextDelta, ImageDelta and,
    last, Finished; an error in the stream raises its GatewayError."""
    reason, usage, done = None, None, False
    inline = InlineImages()
    try:
        async for sse in EventSource(response).aiter_sse():
            if sse.data == "[DONE]":
                done = True
                break
            if not sse.data:
                continue
            chunk = _parse_chunk(sse.data)
            # An error inside a 200 stream (LiteLLM, OpenRouter's finish_reason
            # "error"), before or after the first tokens; the chunk's own text first.
            error = failures.error_object(chunk)
            if chunk.get("usage"):
                usage = chunk["usage"]  # cumulative where sent more than once: keep the last
            for choice in chunk.get("choices") or []:
                delta = choice.get("delta") or {}
                if delta.get("content"):
                    for event in inline.feed(delta["content"]):
                        yield event
                for image in delta.get("images") or []:
                    if url := _image_url(image):
                        yield ImageDelta(url)
                if state := {k: delta[k] for k in PROVIDER_STATE_KEYS if delta.get(k)}:
                    yield ProviderState(state)
                reason = choice.get("finish_reason") or reason
            if error is not None:
                for event in inline.feed("", final=True):
                    yield event
                raise failures.for_event(error, raw=sse.data, model=model)
    except SSEError:
        raise GatewayBadResponse("The gateway sent a malformed event stream.", status=200) from None
    for event in inline.feed("", final=True):
        yield event
    if not done and reason is None:
        raise GatewayInterrupted(
            "The gateway closed the connection before the answer was finished.", status=200
        )
    usage = usage or {}
    yield Finished(reason, usage.get("prompt_tokens"), usage.get("completion_tokens"))


def _image_url(image):
    """The URL of one `delta.images[]` entry: {"type": "image_url", "image_url": {"url": ...}}."""
    if not isinstance(image, dict) or not isinstance(image.get("image_url"), dict):
        return None
    return image["image_url"].get("url")


def _parse_chunk(data):
    try:
        chunk = json.loads(data)
    except ValueError:
        chunk = None
    if not isinstance(chunk, dict):
        raise GatewayBadResponse(
            "The gateway sent a stream event that is not a JSON object.", status=200
        )
    return chunk
