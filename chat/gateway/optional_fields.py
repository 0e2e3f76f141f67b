"""Asking again without an optional field the gateway refused.

Some OpenAI-compatible gateways (or the provider behind them) validate
strictly and answer 400 naming a field they do not pass on: an image model's
settings (`image_config`, `modalities`), an extraction's `response_format`.
Then the same request goes once more without the fields, and the model is
remembered in this process until it restarts, so later requests leave them
out from the start. Only a 400 whose error names them is retried, once, and
only while nothing has streamed (the gateway refuses before it answers).

    stream_chat(body=body, refusable=(RESPONSE_FORMAT, IMAGE_SETTINGS))

Where the person should hear of it (image settings: the answer says once that
they were ignored), the stream yields `FieldsDropped` before the retried
answer's events; chat/studio/ stores that on the answer.
"""

from contextlib import aclosing
from dataclasses import dataclass, field
from functools import partial

from chat.gateway import client
from chat.gateway.errors import GatewayError


@dataclass(frozen=True)
class FieldsDropped:
    """The gateway refused these fields; the request was asked again without them."""

    model: str
    fields: tuple


@dataclass(frozen=True, eq=False)
class OptionalFields:
    """Fields a request may carry that a gateway may refuse."""

    fields: tuple  # the body's keys left out once refused
    words: tuple  # any of these in a 400's error names them
    says_so: bool = False  # yield FieldsDropped when they were left out after a refusal
    # Models whose gateway refused them, in this process.
    refused_models: set = field(default_factory=set)

    def carried_by(self, body):
        return any(name in body for name in self.fields)

    def without(self, body):
        return {name: value for name, value in body.items() if name not in self.fields}

    def named_by(self, error):
        said = f"{error.raw} {error.message}"
        return error.status == 400 and any(word in said for word in self.words)

    async def stream_chat(self, *, body, open_stream):
        """`open_stream(body=...)`'s events, asked again without the fields
        when the gateway refuses them."""
        model = body.get("model")
        carried = self.carried_by(body)
        if carried and model in self.refused_models:
            body, carried = self.without(body), False
        try:
            async with aclosing(open_stream(body=body)) as events:
                async for event in events:
                    yield event
            return
        except GatewayError as error:
            if not (carried and self.named_by(error)):
                raise
        self.refused_models.add(model)
        if self.says_so:
            yield FieldsDropped(model, self.fields)
        async with aclosing(open_stream(body=self.without(body))) as events:
            async for event in events:
                yield event


# An image model's aspect ratio and size (chat/studio/image_settings.py); the
# answer stores that they were ignored and the page says so once.
IMAGE_SETTINGS = OptionalFields(
    fields=("modalities", "image_config"), words=("image_config", "modalities"), says_so=True
)
# An extraction's JSON Schema (chat/extraction/): its instruction goes in every
# request and the answer is validated the same way, so there is nothing to tell.
RESPONSE_FORMAT = OptionalFields(
    fields=("response_format",), words=("response_format", "json_schema")
)


def stream_chat(*, body, refusable, open_stream=None):
    """The gateway's stream_chat (or `open_stream`) for `body`, with each of
    `refusable` (OptionalFields, the first outermost) left out where refused."""
    opened = open_stream or client.stream_chat
    for fields in reversed(refusable):
        opened = partial(fields.stream_chat, open_stream=opened)
    return opened(body=body)
