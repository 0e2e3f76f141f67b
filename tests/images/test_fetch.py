"""Image URLs fetched by the server: https only, public addresses only, every
hop checked, no connection ever made to a refused address."""

import ssl

import httpx
import pytest

from chat.images import fetch
from chat.models import ImageAttachment
from tests.support.https_server import ImageServer, Trap, make_ca
from tests.support.images import image_bytes

pytestmark = pytest.mark.django_db

MB = 20 * 1024 * 1024


@pytest.fixture
def dns(monkeypatch):
    """Fixed answers for the fetcher's resolver, the network boundary for names."""
    answers = {}
    monkeypatch.setattr(fetch, "resolve", lambda host, port: answers[host])
    return answers


@pytest.fixture
def no_connections(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the fetcher tried to connect")

    monkeypatch.setattr(httpx.Client, "send", refuse)


@pytest.fixture
def ca(monkeypatch):
    ca = make_ca()

    def context():
        ctx = ssl.create_default_context()
        ca.configure_trust(ctx)
        return ctx

    monkeypatch.setattr(fetch, "ssl_context", context)
    return ca


@pytest.fixture
def trap():
    # 127.0.0.2 is loopback too, but not on the test allow-list.
    trap = Trap("127.0.0.2")
    yield trap
    trap.close()


@pytest.fixture
def server(ca, dns, settings):
    png = image_bytes("PNG", size=(640, 480), color=(20, 140, 220))
    server = ImageServer(ca, {"/cat.png": (200, {"Content-Type": "image/png"}, png)})
    server.png = png
    dns["images.test"] = ["127.0.0.1"]
    settings.IMAGE_FETCH_ALLOWED_ADDRESSES = ["127.0.0.1"]
    yield server
    server.stop()


def refused(url):
    with pytest.raises(fetch.FetchRefused) as refusal:
        fetch.fetch_image(url, max_bytes=MB, timeout=5)
    return refusal.value.message


def test_it_refuses_plain_http_to_loopback(trap):
    message = refused(f"http://127.0.0.1:{trap.port}/")

    assert message == "Only https:// image URLs can be fetched."
    assert not trap.was_reached()


def test_it_refuses_loopback_over_https(trap):
    message = refused(f"https://{trap.host}:{trap.port}/")

    assert message == (
        "“127.0.0.2” points to a private or reserved address (127.0.0.2); "
        "only public addresses can be fetched."
    )
    assert not trap.was_reached()


def test_it_refuses_the_metadata_address(no_connections):
    message = refused("https://169.254.169.254/latest/meta-data/")

    assert "(169.254.169.254)" in message and "only public addresses" in message


def test_it_refuses_a_name_with_any_private_address(dns, no_connections):
    # One public answer does not make up for a private one next to it.
    dns["intranet.example.com"] = ["93.184.216.34", "10.0.0.5"]

    message = refused("https://intranet.example.com/cat.png")

    assert message == (
        "“intranet.example.com” points to a private or reserved address (10.0.0.5); "
        "only public addresses can be fetched."
    )


@pytest.mark.parametrize(
    "address",
    ["10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1", "0.0.0.0", "224.0.0.1",
     "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254"],
)  # fmt: skip
def test_it_knows_addresses_that_are_not_public(address):
    assert not fetch.is_public(address)


def test_it_knows_a_public_address():
    assert fetch.is_public("93.184.216.34") and fetch.is_public("2606:2800:220:1::1")


def test_it_fetches_from_an_allowed_server(server):
    data = fetch.fetch_image(f"https://images.test:{server.port}/cat.png", max_bytes=MB, timeout=5)

    assert data == server.png
    # It connected to the checked address but spoke to the host by name.
    assert server.requests == [("/cat.png", f"images.test:{server.port}")]


def test_it_refuses_a_redirect_to_a_private_address(server, dns, trap):
    dns["trap.test"] = [trap.host]
    target = f"https://trap.test:{trap.port}/secret"
    server.routes["/go"] = (302, {"Location": target}, b"")

    message = refused(f"https://images.test:{server.port}/go")

    assert message == (
        "“trap.test” points to a private or reserved address (127.0.0.2); "
        "only public addresses can be fetched."
    )
    assert server.requests == [("/go", f"images.test:{server.port}")]
    assert not trap.was_reached()


def test_it_stops_reading_at_the_size_cap(server):
    server.routes["/huge.png"] = (200, {}, b"\0" * 300_000)

    with pytest.raises(fetch.FetchRefused) as refusal:
        url = f"https://images.test:{server.port}/huge.png"
        fetch.fetch_image(url, max_bytes=100_000, timeout=5)

    assert refusal.value.message == "The image at that URL is larger than 0.1 MB."


def test_it_stores_a_url_image_like_an_upload(alice_client, server):
    url = f"https://images.test:{server.port}/cat.png"

    response = alice_client.post("/upload/url/", {"url": url, "detail": "low"})

    assert response.status_code == 201
    payload = response.json()
    assert (payload["format"], payload["width"], payload["height"]) == ("PNG", 640, 480)
    assert payload["source_url"] == url and payload["name"] == "cat.png"
    image = ImageAttachment.objects.get(code=payload["id"])
    assert image.file.read() == server.png


def test_it_checks_a_fetched_url_like_an_upload(alice_client, server):
    server.routes["/page.png"] = (200, {"Content-Type": "image/png"}, b"<html>hi</html>")

    response = alice_client.post(
        "/upload/url/", {"url": f"https://images.test:{server.port}/page.png"}
    )

    assert response.status_code == 400
    assert "is not an image we can read" in response.json()["error"]
    assert ImageAttachment.objects.count() == 0


def test_it_answers_a_refused_url_with_a_sentence(alice_client, no_connections):
    response = alice_client.post("/upload/url/", {"url": "https://169.254.169.254/"})

    assert response.status_code == 400
    assert "only public addresses can be fetched" in response.json()["error"]
