"""The gateway client: everything that speaks HTTP to MyTokenGate, and nothing else.

The public face is `stream_chat` with its events and failures (client.py);
errors.py maps the gateway's answers to sentences, network.py is the
connection layer, demo.py the offline model, catalog.py the models offered.
This package imports neither the models nor Channels (tests/test_layering.py).
"""

from chat.gateway.client import Finished, ImageDelta, TextDelta, stream_chat
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
    "TextDelta",
    "stream_chat",
]
