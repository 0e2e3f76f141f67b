"""Whose request is this: the one place that reads X-Forwarded-For.

Behind TRUSTED_PROXIES proxies, each of which appends the address it was
connected from (nginx's `$proxy_add_x_forwarded_for`), the client's address
is the TRUSTED_PROXIES-th entry from the right of X-Forwarded-For: whatever
is further left, the client wrote itself. With no trusted proxy, or a header
shorter than that or not an address, it is the peer of the connection.

`ClientAddress` wraps the ASGI application (HTTP and websocket), so that
`scope["client"]`, and from it Django's `REMOTE_ADDR`, hold that address for
everything after it: the metrics allow-list, the login limits (django-axes,
through `of_request`), the review access log and the access log
(`chat/ops/access_log.py`).
"""

import ipaddress

from django.conf import settings

HEADER = b"x-forwarded-for"


def client_address(forwarded_for, peer, trusted_proxies):
    """The client's address, given the X-Forwarded-For values (a list of strings,
    one per header line, in order), the connection's peer and the number of
    trusted proxies.

    >>> client_address(["203.0.113.7"], "127.0.0.1", 1)
    '203.0.113.7'
    >>> client_address(["10.1.2.3, 203.0.113.7"], "127.0.0.1", 1)  # the first is forged
    '203.0.113.7'
    >>> client_address(["203.0.113.7"], "127.0.0.1", 0)
    '127.0.0.1'
    """
    if trusted_proxies <= 0:
        return peer
    entries = [entry.strip() for value in forwarded_for for entry in value.split(",")]
    if len(entries) < trusted_proxies:
        return peer
    candidate = entries[-trusted_proxies]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return peer


def of_scope(scope):
    """The client's address for an ASGI scope, as it came from the server."""
    peer = scope.get("client")
    forwarded = [
        value.decode("latin-1") for name, value in scope.get("headers", []) if name == HEADER
    ]
    return client_address(forwarded, peer[0] if peer else None, settings.TRUSTED_PROXIES)


def of_request(request):
    """django-axes' AXES_CLIENT_IP_CALLABLE: REMOTE_ADDR, already the client's
    address once ClientAddress has run."""
    return request.META.get("REMOTE_ADDR") or None


class ClientAddress:
    """ASGI middleware: `scope["client"]` becomes the client's address (`of_scope`)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] in ("http", "websocket") and settings.TRUSTED_PROXIES:
            peer = scope.get("client")
            address = of_scope(scope)
            if address is not None and (peer is None or address != peer[0]):
                scope = {**scope, "client": (address, 0)}
        await self.app(scope, receive, send)
