"""A gateway that refuses `response_format` gets the extraction again without it.

Some OpenAI-compatible gateways (or the provider behind them) answer 400 to a
`json_schema` response format they do not pass on. The extraction is then
asked by its instruction alone (the system message chat/extraction/ adds to
every extraction), its answer validated the same way, and the model is
remembered in this process until it restarts, so later extractions leave the
field out from the start (as chat/studio/fallback.py does for image settings).
"""

from contextlib import aclosing

from chat import gateway

# Models whose gateway refused response_format, in this process.
refused_models = set()


def _names_the_field(error):
    said = f"{error.raw} {error.message}"
    return error.status == 400 and ("response_format" in said or "json_schema" in said)


def _without(body):
    return {name: value for name, value in body.items() if name != "response_format"}


async def stream_chat(*, body, open_stream):
    """`open_stream(body=...)`'s events, asked again without response_format
    when the gateway refuses it."""
    asks = "response_format" in body
    if asks and body.get("model") in refused_models:
        body, asks = _without(body), False
    try:
        async with aclosing(open_stream(body=body)) as events:
            async for event in events:
                yield event
        return
    except gateway.GatewayError as error:
        if not (asks and _names_the_field(error)):
            raise
    refused_models.add(body.get("model"))
    async with aclosing(open_stream(body=_without(body))) as events:
        async for event in events:
            yield event
