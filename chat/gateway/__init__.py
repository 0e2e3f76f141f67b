"""The gateway client: everything that speaks HTTP to MyTokenGate, and nothing else.

The public face is `stream_chat` (client.py) with its events (events.py) and
failures (errors.py, which also maps the gateway's answers to sentences);
sse.py reads one event stream, inline_images.py splits data-URI images out of
the text, network.py is the connection layer, demo.py the offline model,
catalog.py the models offered, optional_fields.py a request asked again
without a field the gateway refused.
This package imports neither the models nor Channels (tests/test_layering.py).
"""

from chat.gateway.client import stream_chat, warm
from chat.gateway.errors import (
    GatewayAuthError,
    GatewayBadResponse,
    GatewayError,
    GatewayInterrupted,
    GatewayQuotaExceeded,
    GatewayRateLimited,
    GatewayRejected,
    GatewayTimeout,
    GatewayUnavailable,
)
from chat.gateway.events import Finished, ImageDelta, ProviderState, TextDelta

__all__ = [
    "Finished",
    "GatewayAuthError",
    "GatewayBadResponse",
    "GatewayError",
    "GatewayInterrupted",
    "GatewayQuotaExceeded",
    "GatewayRateLimited",
    "GatewayRejected",
    "GatewayTimeout",
    "GatewayUnavailable",
    "ImageDelta",
    "ProviderState",
    "TextDelta",
    "stream_chat",
    "warm",
]
