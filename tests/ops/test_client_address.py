"""Whose address a request has behind TRUSTED_PROXIES (issue 17, finding 6).

The client writes whatever it likes into X-Forwarded-For; each trusted proxy
appends the address it was connected from. Before chat/ops/client_address.py
the metrics allow-list read the proxy's address (REMOTE_ADDR), `serve
--proxy-headers` took the header's first, forged, entry, and the login limit
read it through ipware's own rules.
"""

import io
import ipaddress
import re

import httpx
import pytest
from axes.models import AccessAttempt

from chat.ops.access_log import AccessLog
from chat.ops.client_address import client_address
from tokengate_site.asgi import application

PROXY = ("127.0.0.1", 41234)  # nginx, as daphne sees it


@pytest.mark.parametrize(
    ("forwarded", "trusted", "expected"),
    [
        (["203.0.113.7"], 1, "203.0.113.7"),  # what nginx sends for a client that sent none
        (["10.1.2.3, 203.0.113.7"], 1, "203.0.113.7"),  # a forged first entry
        (["10.1.2.3", "203.0.113.7"], 1, "203.0.113.7"),  # two header lines are one list
        (["10.1.2.3, 203.0.113.7, 192.0.2.1"], 2, "203.0.113.7"),  # a CDN, then nginx
        (["203.0.113.7"], 2, "127.0.0.1"),  # shorter than the proxies: the peer's
        (["not-an-address"], 1, "127.0.0.1"),
        (["  2001:DB8::1 "], 1, "2001:db8::1"),
        (["10.1.2.3"], 0, "127.0.0.1"),  # no trusted proxy: the header means nothing
        ([], 1, "127.0.0.1"),
    ],
)
def test_it_takes_the_nth_address_from_the_right(forwarded, trusted, expected):
    assert client_address(forwarded, "127.0.0.1", trusted) == expected


def asgi_client():
    transport = httpx.ASGITransport(app=application, client=PROXY)
    return httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000")


@pytest.fixture
def metrics_for_10_net(settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_ADDRESSES = [ipaddress.ip_network("10.0.0.0/8")]
    settings.TRUSTED_PROXIES = 1


async def test_it_refuses_metrics_to_a_forged_first_entry(metrics_for_10_net):
    async with asgi_client() as client:
        forged = await client.get("/metrics", headers={"X-Forwarded-For": "10.1.2.3, 203.0.113.7"})

    assert forged.status_code == 403


async def test_it_serves_metrics_to_the_client_the_proxy_names(metrics_for_10_net):
    """Failed before: the allow-list read the proxy's own address (127.0.0.1)."""
    async with asgi_client() as client:
        inside = await client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7, 10.1.2.3"})

    assert inside.status_code == 200


async def test_it_logs_the_clients_address_not_the_forged_one(settings):
    settings.TRUSTED_PROXIES = 1
    stream = io.StringIO()
    transport = httpx.ASGITransport(app=AccessLog(application, stream), client=PROXY)
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as c:
        await c.get("/healthz", headers={"X-Forwarded-For": "10.1.2.3, 203.0.113.7"})

    line = stream.getvalue()
    assert line.startswith("203.0.113.7 - - [")
    assert '"GET /healthz" 200' in line
    assert "10.1.2.3" not in line


@pytest.mark.django_db(transaction=True)
async def test_it_counts_failed_logins_by_the_address_the_proxy_names(settings, alice):
    """Failed before: rotating a forged first entry made each attempt a new address."""
    settings.TRUSTED_PROXIES = 1
    async with asgi_client() as client:
        page = await client.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        statuses = []
        for n in range(6):
            response = await client.post(
                "/login/",
                data={"username": "alice", "password": "wrong", "csrfmiddlewaretoken": token},
                headers={"X-Forwarded-For": f"10.9.9.{n}, 203.0.113.7"},
            )
            statuses.append(response.status_code)

    assert statuses == [200, 200, 200, 200, 429, 429]
    assert {a.ip_address async for a in AccessAttempt.objects.all()} == {"203.0.113.7"}


def test_it_refuses_proxy_headers_without_trusted_proxies(settings):
    from django.core.management import CommandError, call_command

    settings.TRUSTED_PROXIES = 0

    with pytest.raises(CommandError, match="needs TRUSTED_PROXIES"):
        call_command("serve", "--proxy-headers")
