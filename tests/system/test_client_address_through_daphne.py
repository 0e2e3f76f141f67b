"""The client's address behind a proxy, in a real `manage.py serve` (issue 17,
finding 6). Before, `serve --proxy-headers` took X-Forwarded-For's first
entry, which the client writes: a forged `10.1.2.3` read /metrics through
METRICS_ALLOWED_ADDRESSES=10.0.0.0/8 and went into the access log."""

import httpx
import pytest

from chat.testing.live import Site, wait_for


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    site = Site(
        tmp_path_factory.mktemp("site"),
        TRUSTED_PROXIES="1",
        METRICS_ALLOWED_ADDRESSES="10.0.0.0/8",
    )
    try:
        site.migrate()
        yield site.start_server(args=["--proxy-headers", "--access-log"])
    finally:
        site.stop()


def test_it_refuses_metrics_and_logs_the_proxys_client_for_a_forged_first_entry(server):
    forged = httpx.get(
        f"{server.url}/metrics", headers={"X-Forwarded-For": "10.1.2.3, 203.0.113.7"}
    )

    assert forged.status_code == 403
    line = wait_for(
        lambda: next((x for x in server.log().splitlines() if "GET /metrics" in x), None),
        message="the access log line",
    )
    assert line.startswith("203.0.113.7 - - [") and '"GET /metrics" 403' in line


def test_it_serves_metrics_to_the_allowed_client_the_proxy_names(server):
    # What nginx sends when a client on 10.1.2.3 sent no header of its own.
    inside = httpx.get(f"{server.url}/metrics", headers={"X-Forwarded-For": "10.1.2.3"})

    assert inside.status_code == 200
