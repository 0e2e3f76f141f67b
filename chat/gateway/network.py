"""httpcore's network layer for the gateway client, on asyncio's own streams.

httpx reads through httpcore, which by default reads through anyio: every
read opens a cancel scope for its timeout and resumes, then pauses, the
socket's reader (two epoll calls). A gateway sends each token as its own
chunk, so that is paid once per token: reading 50 answers at 50 tokens/s took
httpx and httpx-sse 0.10–0.13 CPU-seconds per 1,000 tokens, most of the
relay's budget of 0.15. Here a read is a StreamReader read under
asyncio.timeout: 0.08–0.10 in the same measurement. Proxies from the
environment keep httpx's own transport.
"""

import asyncio
import ssl

import httpcore
import httpx


def transport(*, limits):
    """An httpx transport (connection pool of `limits`) that reads with this module."""
    made = httpx.AsyncHTTPTransport(limits=limits)
    # httpx has no argument for it; the pool takes any httpcore network backend.
    made._pool._network_backend = AsyncioBackend()
    return made


class AsyncioStream(httpcore.AsyncNetworkStream):
    def __init__(self, reader, writer):
        self.reader, self.writer = reader, writer

    async def read(self, max_bytes, timeout=None):
        try:
            async with asyncio.timeout(timeout):
                return await self.reader.read(max_bytes)
        except TimeoutError:
            raise httpcore.ReadTimeout("no data within the read timeout") from None
        except OSError as error:
            raise httpcore.ReadError(str(error)) from error

    async def write(self, buffer, timeout=None):
        if not buffer:
            return
        try:
            async with asyncio.timeout(timeout):
                self.writer.write(buffer)
                await self.writer.drain()
        except TimeoutError:
            raise httpcore.WriteTimeout("the write did not finish in time") from None
        except (OSError, RuntimeError) as error:  # RuntimeError: a closed transport
            raise httpcore.WriteError(str(error)) from error

    async def aclose(self):
        self.writer.close()

    async def start_tls(self, ssl_context, server_hostname=None, timeout=None):
        try:
            async with asyncio.timeout(timeout):
                await self.writer.start_tls(ssl_context, server_hostname=server_hostname)
        except TimeoutError:
            self.writer.close()
            raise httpcore.ConnectTimeout("the TLS handshake did not finish in time") from None
        except (OSError, ssl.SSLError) as error:
            self.writer.close()
            raise httpcore.ConnectError(str(error)) from error
        return self

    def get_extra_info(self, info):
        if info == "is_readable":
            # httpcore asks this of an idle pooled connection: the server closed it.
            return self.reader.at_eof() or self.reader.exception() is not None
        name = {"ssl_object": "ssl_object", "client_addr": "sockname",
                "server_addr": "peername", "socket": "socket"}.get(info)  # fmt: skip
        return self.writer.get_extra_info(name) if name else None


class AsyncioBackend(httpcore.AsyncNetworkBackend):
    async def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        local = (local_address, 0) if local_address else None
        opening = asyncio.open_connection(host, port, local_addr=local)
        return await self._connect(opening, socket_options, timeout)

    async def connect_unix_socket(self, path, timeout=None, socket_options=None):
        return await self._connect(asyncio.open_unix_connection(path), socket_options, timeout)

    async def _connect(self, opening, socket_options, timeout):
        try:
            async with asyncio.timeout(timeout):
                reader, writer = await opening
        except TimeoutError:
            raise httpcore.ConnectTimeout("no connection within the connect timeout") from None
        except OSError as error:
            raise httpcore.ConnectError(str(error)) from error
        for option in socket_options or ():
            writer.get_extra_info("socket").setsockopt(*option)
        return AsyncioStream(reader, writer)

    async def sleep(self, seconds):
        await asyncio.sleep(seconds)
