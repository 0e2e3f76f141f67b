"""Only the site's own origin, scheme, host and port, or a trusted one may open
a websocket (issue 17, finding 16). Failed before: Channels'
AllowedHostsOriginValidator compared the host name only, so a page on another
port or scheme of an allowed host could open sockets with the user's cookie."""

import pytest
from django.test import override_settings

from chat.live.origins import parse_origin
from chat.models import Conversation
from tests.support.websocket import open_socket

pytestmark = pytest.mark.django_db(transaction=True)

# tests/support/websocket.py serves the site at http://127.0.0.1:8000 (its Host header).


@pytest.mark.parametrize(
    "origin",
    [
        "http://127.0.0.1:9999",  # another port of the same host
        "https://127.0.0.1:8000",  # another scheme
        "http://127.0.0.1",  # the default port is another port
        "http://evil.example:8000",
        "null",  # a sandboxed frame or a file
        "",
    ],
)
async def test_it_refuses_an_origin_other_than_the_served_one(alice, alice_client, origin):
    conversation = await Conversation.objects.acreate(owner=alice)

    _, connected, _ = await open_socket(conversation, alice_client, origin=origin)

    assert not connected


async def test_it_accepts_the_served_origin(alice, alice_client):
    conversation = await Conversation.objects.acreate(owner=alice)

    communicator, connected, _ = await open_socket(
        conversation, alice_client, origin="http://127.0.0.1:8000"
    )

    assert connected
    await communicator.disconnect()


@override_settings(CSRF_TRUSTED_ORIGINS=["https://chat.example"])
async def test_it_accepts_a_trusted_origin_exactly(alice, alice_client):
    conversation = await Conversation.objects.acreate(owner=alice)

    trusted, ok, _ = await open_socket(conversation, alice_client, origin="https://chat.example")
    _, other_port, _ = await open_socket(
        conversation, alice_client, origin="https://chat.example:8443"
    )
    _, plain_http, _ = await open_socket(conversation, alice_client, origin="http://chat.example")

    assert ok and not other_port and not plain_http
    await trusted.disconnect()


def test_it_reads_an_origin_with_its_default_port():
    assert parse_origin("https://Chat.Example") == ("https", "chat.example", 443)
    assert parse_origin("http://[::1]:8000") == ("http", "::1", 8000)
    assert parse_origin("http://127.0.0.1:99999") is None
    assert parse_origin("javascript:alert(1)") is None
    assert parse_origin("https://chat.example/path") is None
