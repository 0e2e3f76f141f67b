"""A real HTTPS server on 127.0.0.1 with a certificate from a test CA (trustme),
and a trap: a listening socket that records whether anything connected."""

import socket
import ssl
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import trustme


class ImageServer:
    """Serves `routes`: path -> (status, headers, body)."""

    def __init__(self, ca, routes, host="127.0.0.1", names=("images.test", "trap.test")):
        self.routes = routes
        self.requests = []
        self._server = ThreadingHTTPServer((host, 0), self._handler_class())
        self._server.daemon_threads = True
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ca.issue_cert(*names).configure_cert(context)
        self._server.socket = context.wrap_socket(self._server.socket, server_side=True)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()

    @property
    def port(self):
        return self._server.server_address[1]

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append((self.path, self.headers.get("Host")))
                status, headers, body = server.routes.get(self.path, (404, {}, b""))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        return Handler


class Trap:
    """A listening socket nobody should reach."""

    def __init__(self, host):
        self.socket = socket.create_server((host, 0))
        self.socket.setblocking(False)
        self.host, self.port = self.socket.getsockname()[:2]

    def was_reached(self):
        # A connection completes in the kernel's backlog even before accept().
        try:
            connection, _ = self.socket.accept()
        except BlockingIOError:
            return False
        connection.close()
        return True

    def close(self):
        self.socket.close()


def make_ca():
    return trustme.CA()
