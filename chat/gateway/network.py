"""httpcore's network layer for the gateway client, on asyncio's own streams.

httpx reads through httpcore, which by default reads through anyio: every
read opens a cancel scope for its timeout and resumes, then pauses, the
socket's reader (two epoll calls). A gateway sends each token as its own
chunk, so that is paid once per token: reading 50 answers at 50 tokens/s took
httpx and httpx-sse 0.10–0.13 CPU-seconds per 1,000 tokens, most of the
relay's budget of 0.15. Here a read is a StreamReader read under
asyncio.timeout: 0.08–0.10 in the same measurement.

httpx's transport takes no network backend, so Transport is a small httpx
transport over httpcore's public AsyncConnectionPool(network_backend=...),
doing what httpx's own AsyncHTTPTransport does for a pool without a proxy.
Proxies from the environment (HTTP_PROXY, HTTPS_PROXY, ALL_PROXY, NO_PROXY)
keep httpx's own transport: httpx mounts none when given a transport, so
proxy_mounts() does what it would have done.
"""

import asyncio
import contextlib
import ipaddress
import ssl
import urllib.request

import httpcore
import httpx

# httpcore's errors as httpx's AsyncHTTPTransport raises them.
ERRORS = {
    httpcore.TimeoutException: httpx.TimeoutException,
    httpcore.ConnectTimeout: httpx.ConnectTimeout,
    httpcore.ReadTimeout: httpx.ReadTimeout,
    httpcore.WriteTimeout: httpx.WriteTimeout,
    httpcore.PoolTimeout: httpx.PoolTimeout,
    httpcore.NetworkError: httpx.NetworkError,
    httpcore.ConnectError: httpx.ConnectError,
    httpcore.ReadError: httpx.ReadError,
    httpcore.WriteError: httpx.WriteError,
    httpcore.ProxyError: httpx.ProxyError,
    httpcore.UnsupportedProtocol: httpx.UnsupportedProtocol,
    httpcore.ProtocolError: httpx.ProtocolError,
    httpcore.LocalProtocolError: httpx.LocalProtocolError,
    httpcore.RemoteProtocolError: httpx.RemoteProtocolError,
}


@contextlib.contextmanager
def httpx_errors():
    try:
        yield
    except Exception as error:
        # The most specific: an httpcore.ReadTimeout is an httpx.ReadTimeout.
        for kind in type(error).__mro__:
            if kind in ERRORS:
                raise ERRORS[kind](str(error)) from error
        raise


def transport(*, limits):
    """An httpx transport (connection pool of `limits`) that reads with this module."""
    return Transport(limits=limits)


def proxy_mounts(*, limits):
    """For httpx.AsyncClient(mounts=...): httpx's proxy transport for each proxy
    the environment names, and None (this module's transport) where NO_PROXY
    says so, read as httpx reads them when it is given no transport."""
    found = urllib.request.getproxies()
    proxies = {}
    for scheme in ("http", "https", "all"):
        if url := found.get(scheme):
            proxies[f"{scheme}://"] = url if "://" in url else f"http://{url}"
    for host in (host.strip() for host in found.get("no", "").split(",")):
        if host == "*":
            return {}
        if not host:
            continue
        if "://" in host:
            proxies[host] = None
        elif host.lower() == "localhost" or _is_address(host):
            proxies[f"all://[{host}]" if ":" in host else f"all://{host}"] = None
        else:
            proxies[f"all://*{host}"] = None
    return {
        pattern: url and httpx.AsyncHTTPTransport(proxy=url, limits=limits)
        for pattern, url in proxies.items()
    }


def _is_address(host):
    try:
        ipaddress.ip_address(host.split("/")[0])
    except ValueError:
        return False
    return True


class Transport(httpx.AsyncBaseTransport):
    def __init__(self, *, limits):
        self.pool = httpcore.AsyncConnectionPool(
            # As httpx's: certifi, or SSL_CERT_FILE / SSL_CERT_DIR when set.
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=AsyncioBackend(),
        )

    async def handle_async_request(self, request):
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(
                scheme=request.url.raw_scheme,
                host=request.url.raw_host,
                port=request.url.port,
                target=request.url.raw_path,
            ),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with httpx_errors():
            response = await self.pool.handle_async_request(core_request)
        return httpx.Response(
            status_code=response.status,
            headers=response.headers,
            stream=ResponseStream(response.stream),
            extensions=response.extensions,
        )

    async def aclose(self):
        await self.pool.aclose()


class ResponseStream(httpx.AsyncByteStream):
    def __init__(self, stream):
        self.stream = stream

    async def __aiter__(self):
        # One error mapping around the whole body, not one per chunk.
        with httpx_errors():
            async for part in self.stream:
                yield part

    async def aclose(self):
        await self.stream.aclose()


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
