"""The access log (`manage.py serve --access-log`): one line per HTTP request and
per websocket opened and closed, in daphne's NCSA-like format, written by the
application rather than by daphne, so that its address is the client's
(`client_address.of_scope`, behind TRUSTED_PROXIES) and every field the
client wrote has its control characters escaped (`log_text.escape`): a path or
method can never start a forged line.

    203.0.113.7 - - [03/Dec/2026:08:01:02] "GET /c/?after=x" 400 61
    203.0.113.7 - - [03/Dec/2026:08:01:03] "WSCONNECT /ws/chat/…/" - -
"""

import datetime

from chat.ops import client_address
from chat.ops.log_text import escape


class AccessLog:
    """ASGI middleware writing one line per request to `stream`."""

    def __init__(self, app, stream):
        self.app = app
        self.stream = stream

    def write(self, scope, request, status=None, size=None):
        path = scope.get("path", "")
        if scope.get("query_string"):
            path += "?" + scope["query_string"].decode("latin-1")
        address = escape(client_address.of_scope(scope) or "-")
        when = datetime.datetime.now().strftime("%d/%b/%Y:%H:%M:%S")
        size = "-" if size is None else size
        self.stream.write(
            f'{address} - - [{when}] "{escape(request)} {escape(path)}" {status or "-"} {size}\n'
        )
        self.stream.flush()

    async def __call__(self, scope, receive, send):
        if scope["type"] == "http":
            await self._http(scope, receive, send)
        elif scope["type"] == "websocket":
            await self._websocket(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _http(self, scope, receive, send):
        response = {"status": None, "size": 0}

        async def logging_send(message):
            if message["type"] == "http.response.start":
                response["status"] = message["status"]
            elif message["type"] == "http.response.body":
                response["size"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, logging_send)
        finally:
            self.write(scope, scope.get("method", "-"), response["status"], response["size"])

    async def _websocket(self, scope, receive, send):
        async def logging_send(message):
            if message["type"] == "websocket.accept":
                self.write(scope, "WSCONNECT")
            elif message["type"] == "websocket.close":
                self.write(scope, "WSDISCONNECT", message.get("code", 1000))
            await send(message)

        await self.app(scope, receive, logging_send)
