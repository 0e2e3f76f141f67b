"""Fetching an image URL the user typed, without letting it reach inside.

A URL from a user is an attacker's way to make our server connect somewhere:
the cloud metadata service (169.254.169.254), a database on localhost, an admin
page on the private network. So, for every hop:

- https only;
- we resolve the host ourselves and refuse it if any address it resolves to is
  not public (private, loopback, link-local, reserved, multicast, unspecified,
  100.64/10 shared, and the IPv4 inside an IPv4-mapped IPv6 address);
- we connect to the address we checked (the URL's host is sent only as the
  TLS server name and the Host header), so a second DNS answer can't swap in
  a private address between check and connect;
- redirects are followed by hand, each hop checked, at most MAX_REDIRECTS;
- the body is read as it streams and cut at the size cap; every call has a timeout.

    >>> fetch_image("https://example.com/cat.png", max_bytes=20 << 20, timeout=10)
    b'\\x89PNG...'
"""

import ipaddress
import socket
import ssl
import time
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings
from django.utils.translation import gettext

MAX_REDIRECTS = 3
# Shared address space (carrier-grade NAT); ipaddress counts it neither private nor global.
SHARED = ipaddress.ip_network("100.64.0.0/10")


class FetchRefused(Exception):
    """The URL was not fetched; `message` is a sentence for the user."""

    reason = "url_refused"  # for the metrics

    def __init__(self, message):
        super().__init__(message)
        self.message = message


def resolve(host, port):
    """Every address `host` resolves to. The seam tests point at fixed answers."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [info[4][0] for info in infos]


def ssl_context():
    """The CA store server certificates are checked against (tests use their own CA)."""
    return ssl.create_default_context()


def is_public(address):
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or ip in SHARED
        or not ip.is_global
    )


def _allowed(address):
    return is_public(address) or address in settings.IMAGE_FETCH_ALLOWED_ADDRESSES


def _checked_address(url):
    """Return (host, port, address to connect to) for an https URL, or refuse it."""
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise FetchRefused(gettext("Only https:// image URLs can be fetched."))
    if not parts.hostname:
        raise FetchRefused(gettext("That image URL has no host name."))
    host, port = parts.hostname, parts.port or 443
    try:
        addresses = resolve(host, port)
    except (OSError, UnicodeError):
        raise FetchRefused(_not_found(host)) from None
    if not addresses:
        raise FetchRefused(_not_found(host))
    for address in addresses:
        if not _allowed(address):
            raise FetchRefused(
                gettext(
                    "“%(host)s” points to a private or reserved address (%(address)s); "
                    "only public addresses can be fetched."
                )
                % {"host": host, "address": address}
            )
    return host, port, addresses[0]


def _request_url(url, address, port):
    parts = urlsplit(url)
    literal = f"[{address}]" if ":" in address else address
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return f"https://{literal}:{port}{path}"


def fetch_image(url, *, max_bytes, timeout):
    """Return the bytes at `url`, or raise FetchRefused saying why not."""
    deadline = time.monotonic() + timeout
    with httpx.Client(verify=ssl_context(), timeout=timeout, follow_redirects=False) as client:
        for _ in range(MAX_REDIRECTS + 1):
            host, port, address = _checked_address(url)
            netloc = host if port == 443 else f"{host}:{port}"
            request = client.build_request(
                "GET",
                _request_url(url, address, port),
                headers={"Host": netloc, "Accept": "image/*"},
                # TLS is checked against the URL's host, not the address.
                extensions={"sni_hostname": host},
            )
            try:
                response = client.send(request, stream=True)
            except httpx.TimeoutException:
                raise FetchRefused(
                    gettext("“%(host)s” did not answer in time.") % {"host": host}
                ) from None
            except httpx.HTTPError as error:
                raise FetchRefused(
                    gettext("Could not fetch the image from “%(host)s” (%(error)s).")
                    % {"host": host, "error": error}
                ) from None
            try:
                if response.is_redirect:
                    url = urljoin(url, response.headers["Location"])
                    continue
                if response.status_code != 200:
                    raise FetchRefused(
                        gettext("“%(host)s” answered %(status)s instead of an image.")
                        % {"host": host, "status": response.status_code}
                    )
                return _read_capped(response, host, max_bytes, deadline)
            finally:
                response.close()
    raise FetchRefused(
        gettext("The image URL redirected more than %(count)s times.") % {"count": MAX_REDIRECTS}
    )


def _read_capped(response, host, max_bytes, deadline):
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchRefused(_too_big(max_bytes))
    chunks, size = [], 0
    try:
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FetchRefused(_too_big(max_bytes))
            if time.monotonic() > deadline:
                raise FetchRefused(_too_slow(host))
            chunks.append(chunk)
    except httpx.TimeoutException:
        raise FetchRefused(_too_slow(host)) from None
    except httpx.HTTPError as error:
        raise FetchRefused(
            gettext("The download from “%(host)s” failed (%(error)s).")
            % {"host": host, "error": error}
        ) from None
    return b"".join(chunks)


def _too_big(max_bytes):
    return gettext("The image at that URL is larger than %(size)s.") % {
        "size": f"{max_bytes / (1024 * 1024):.1f} MB"
    }


def _not_found(host):
    return gettext("The host “%(host)s” could not be found.") % {"host": host}


def _too_slow(host):
    return gettext("“%(host)s” did not send the image in time.") % {"host": host}
