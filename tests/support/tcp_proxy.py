"""A TCP forwarder on loopback, to take a service away from the app and give it back.

proxy = TcpProxy("127.0.0.1", 5432).start()
... the app connects to 127.0.0.1:{proxy.port} ...
proxy.stop()     # refused, and open connections cut: as if the service stopped
proxy.start()    # back, on the same port
proxy.freeze()   # open connections stay open but carry nothing (a laptop that
                 # slept); new ones work
"""

import socket
import threading


class TcpProxy:
    def __init__(self, host, port):
        self.target = (host, port)
        self.port = None
        self._listener = None
        self._sockets = set()
        self._frozen = set()
        self._lock = threading.Lock()

    def start(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port or 0))
        listener.listen(50)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def stop(self):
        try:
            self._listener.shutdown(socket.SHUT_RDWR)  # wakes the accept() on Linux
        except OSError:
            pass
        self._listener.close()
        with self._lock:
            for sock in self._sockets:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                sock.close()
            self._sockets.clear()

    def freeze(self):
        with self._lock:
            self._frozen.update(self._sockets)

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # stopped
            try:
                upstream = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            upstream.settimeout(None)  # the timeout was for connecting: idle is fine
            with self._lock:
                self._sockets.update((client, upstream))
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source, sink):
        try:
            while data := source.recv(65536):
                if source not in self._frozen:
                    sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
