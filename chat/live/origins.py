"""Which pages may open a websocket: the whole origin, not only its host.

Channels' AllowedHostsOriginValidator compares the Origin's host name with
ALLOWED_HOSTS and ignores scheme and port, so a page on `http://127.0.0.1:9999`
could open sockets to a site served on port 8000. `SameOriginOnly` accepts an
Origin only when its scheme, host and port are those the site is served at (the
Host header, over https when the socket came over TLS or the trusted proxy says
so) or one of CSRF_TRUSTED_ORIGINS, as Django's CSRF check does for forms; and
the Host must be one of ALLOWED_HOSTS. Anything else, or no Origin, is refused
before the handshake completes (403).
"""

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

DEFAULT_PORTS = {"http": 80, "https": 443}


def _origin(scheme, host, port):
    scheme = scheme.lower()
    return scheme, host.lower().strip("[]"), port or DEFAULT_PORTS.get(scheme)


def parse_origin(value):
    """(scheme, host, port) of "https://chat.example:8443", or None."""
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path not in ("", "/"):
        return None
    return _origin(parts.scheme, parts.hostname, port)


def _headers(scope):
    return {
        name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
    }


def served_origin(scope, headers):
    """The origin the page that opens this socket was served from, if allowed."""
    host = headers.get("host", "")
    domain, port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return None
    secure = scope.get("scheme") in ("wss", "https")
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    if proxy_header:  # as request.is_secure() reads it: ("HTTP_X_FORWARDED_PROTO", "https")
        name = proxy_header[0].removeprefix("HTTP_").replace("_", "-").lower()
        secure = secure or headers.get(name, "").split(",")[0].strip() == proxy_header[1]
    return _origin("https" if secure else "http", domain, int(port) if port else None)


def allowed(scope):
    headers = _headers(scope)
    origin = parse_origin(headers.get("origin", ""))
    if origin is None:
        return False
    trusted = {parse_origin(o) for o in settings.CSRF_TRUSTED_ORIGINS} - {None}
    return origin in trusted or origin == served_origin(scope, headers)


class SameOriginOnly:
    """ASGI middleware for the websocket router: refuse other origins (403)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not allowed(scope):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.app(scope, receive, send)
