"""A gateway that refuses the image settings gets the request again without them.

Some OpenAI-compatible gateways validate strictly and answer 400 naming
`image_config` or `modalities`. Then the same request goes once more without
both, the answer is told (SettingsIgnored, which the answer stores and the page
says once), and the model is remembered in this process until it restarts, so
later requests leave the fields out from the start.
"""

from contextlib import aclosing
from dataclasses import dataclass

from chat import gateway
from chat.studio.image_settings import without_image_fields

# Models whose gateway refused the image settings, in this process.
refused_models = set()


@dataclass(frozen=True)
class SettingsIgnored:
    """The gateway refused the image settings; the answer was asked without them."""

    model: str


def _names_the_fields(error):
    said = f"{error.raw} {error.message}"
    return error.status == 400 and ("image_config" in said or "modalities" in said)


async def stream_chat(*, body, open_stream=None):
    """gateway.stream_chat, with the image settings left out where refused."""
    open_stream = open_stream or gateway.stream_chat
    model = body.get("model")
    has_fields = "image_config" in body or "modalities" in body
    if has_fields and model in refused_models:
        body, has_fields = without_image_fields(body), False
    try:
        async with aclosing(open_stream(body=body)) as events:
            async for event in events:
                yield event
        return
    except gateway.GatewayError as error:
        if not (has_fields and _names_the_fields(error)):
            raise
    refused_models.add(model)
    yield SettingsIgnored(model)
    async with aclosing(open_stream(body=without_image_fields(body))) as events:
        async for event in events:
            yield event
