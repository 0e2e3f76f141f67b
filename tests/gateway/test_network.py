"""The gateway client's own network layer (chat/gateway/network.py, asyncio
streams under httpcore) over real sockets: TLS with a test CA, a refused
certificate, and a request body far larger than a socket buffer."""

import ssl

import pytest

from chat import gateway
from chat.gateway import network
from chat.testing.upstream import FakeUpstream, Reply
from tests.support.gateway_helpers import BODY, stream, text_of
from tests.support.https_server import make_ca


@pytest.fixture
def ca():
    return make_ca()


@pytest.fixture
def https_upstream(ca, settings):
    """The fake gateway behind TLS, with a certificate for 127.0.0.1 from `ca`."""
    server = FakeUpstream()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    server._server.socket = context.wrap_socket(server._server.socket, server_side=True)
    server.start()
    settings.TOKENGATE_BASE_URL = server.url.replace("http://", "https://")
    settings.TOKENGATE_API_KEY = "sk-test-secret-key"
    yield server
    server.stop()


async def test_it_streams_an_answer_from_a_gateway_over_https(
    https_upstream, ca, tmp_path, monkeypatch
):
    ca_file = tmp_path / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    monkeypatch.setenv("SSL_CERT_FILE", str(ca_file))  # httpx trusts it, as an operator would

    events = await stream()

    assert text_of(events) == "The image shows a red square."
    assert len(https_upstream.requests) == 1


async def test_it_refuses_a_gateway_whose_certificate_it_cannot_check(https_upstream):
    with pytest.raises(gateway.GatewayUnavailable) as caught:
        await stream()

    assert caught.value.code == "connect_error"
    assert https_upstream.requests == []  # the request never left over an untrusted channel


async def test_it_sends_a_request_of_many_megabytes_whole(upstream):
    photo = "data:image/jpeg;base64," + "A" * 8_000_000  # a large photo's worth of base64
    body = {**BODY, "messages": [{"role": "user", "content": [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": photo}},
    ]}]}  # fmt: skip

    events = await stream(body)

    assert text_of(events) == "The image shows a red square."
    [request] = upstream.requests
    assert request.body["messages"][0]["content"][1]["image_url"]["url"] == photo


@pytest.fixture
def opened(monkeypatch):
    """The streams this module's network layer opens, as they open."""
    opened = []
    connect_tcp = network.AsyncioBackend.connect_tcp

    async def counting(self, *args, **kwargs):
        stream = await connect_tcp(self, *args, **kwargs)
        opened.append(stream)
        return stream

    monkeypatch.setattr(network.AsyncioBackend, "connect_tcp", counting)
    return opened


async def test_it_reads_the_gateway_through_its_own_network_layer(upstream, opened):
    # httpx's default (anyio) layer costs a third more CPU per token: if the
    # client ever stops using ours, the relay slows without any other test failing.
    events = await stream()

    assert text_of(events) == "The image shows a red square."
    assert len(opened) == 1 and isinstance(opened[0], network.AsyncioStream)


async def test_it_tells_a_gateway_that_stops_mid_answer_from_a_broken_one(upstream, settings):
    # httpcore's ReadTimeout from inside the body must arrive as httpx's.
    settings.TOKENGATE_READ_TIMEOUT = 0.2
    upstream.queue(Reply(tokens=["Hel", "lo"], hold_after=1))
    events = []
    try:
        with pytest.raises(gateway.GatewayTimeout) as caught:
            await stream(into=events)
    finally:
        upstream.release.set()

    assert text_of(events) == "Hel"
    assert caught.value.code == "read_timeout"


async def test_it_goes_through_an_http_proxy_from_the_environment(upstream, settings, monkeypatch):
    # The fake gateway stands in for the proxy: it answers whatever it is asked.
    settings.TOKENGATE_BASE_URL = "http://gateway.invalid/v1"
    monkeypatch.setenv("HTTP_PROXY", upstream.url.removesuffix("/v1"))
    for name in ("NO_PROXY", "no_proxy", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)

    events = await stream()

    assert text_of(events) == "The image shows a red square."
    [request] = upstream.requests
    assert request.path == "http://gateway.invalid/v1/chat/completions"  # a proxy's request


async def test_it_goes_direct_to_a_gateway_the_environment_exempts(upstream, opened, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("NO_PROXY", "example.org, 127.0.0.1")
    for name in ("no_proxy", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(name, raising=False)

    events = await stream()

    assert text_of(events) == "The image shows a red square."
    assert len(opened) == 1
