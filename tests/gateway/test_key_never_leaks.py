"""The gateway key never reaches a user or a reviewer: after a run through
every error path (including gateways that echo the key back, split, upper-cased
or escaped: issue 17, finding 12, which failed before), it is in no websocket
frame, page, admin page, stored error or log line, however normalised."""

import json
import logging
import re

import pytest
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.test import Client

from chat.models import Conversation, Message
from chat.testing.upstream import Reply
from tests.gateway.test_errors_seen_by_user import KEY, ROWS, openai_error
from tests.support.gateway_helpers import ask
from tests.support.uploads import upload

pytestmark = pytest.mark.django_db(transaction=True)
ESCAPED = KEY.replace("-", "\\u002d")  # as JSON may write it

ECHOES = [
    [Reply(status=400, body=openai_error(f"Bad request from key {KEY}"))],
    [Reply(status=401, body=f"Unauthorized: Bearer {KEY}", content_type="text/plain")],
    [Reply(error_after=1, error_event={"error": {"message": f"quota of {KEY} used up"}})],
    [Reply(status=500, body=json.dumps({"detail": f"key={KEY}"}))] * 3,
    # Transformed echoes: split by a newline, upper-cased, JSON-escaped.
    [Reply(status=400, body=openai_error(f"Bad key {KEY[:7]}\n{KEY[7:]}"))],
    [Reply(status=401, body=f"Unauthorized: {KEY.upper()}", content_type="text/plain")],
    [Reply(status=400, body='{"error": {"message": "key ' + ESCAPED + '"}}')],
    [Reply(error_after=1, error_event={"error": {"message": " ".join(KEY)}})],
]


def normalised(text):
    """What a reader could rebuild the key from: escapes decoded, whitespace
    (written or escaped) removed, case folded."""
    text = re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), text)
    text = re.sub(r"\\[nrt]|\s", "", text)
    return text.casefold()


def pages_of(client, urls):
    return [client.get(url).content.decode() for url in urls]


async def test_it_never_shows_the_key_anywhere_after_every_error_path(
    alice, alice_client, upstream, caplog, png, settings
):
    # More turns than a minute allows (20): each must reach the gateway, however fast.
    settings.LIMIT_MESSAGES_PER_MINUTE = 1000
    caplog.set_level(logging.DEBUG)
    frames = []
    for replies in [row[0] for row in ROWS.values()] + ECHOES:
        upstream.queue(*replies)
        events, _ = await ask(alice, alice_client)
        frames.append(json.dumps(events))
    assert len(upstream.requests) > len(ROWS)  # every row reached the gateway
    await sync_to_async(upload)(alice_client, b"not an image", "bad.png")

    make_staff = get_user_model().objects.create_superuser
    staff = await sync_to_async(make_staff)("root", password="x" * 12)
    reviewer = Client()
    await sync_to_async(reviewer.force_login)(staff)
    conversations = [c async for c in Conversation.objects.all()]
    messages = [m async for m in Message.objects.all()]
    user_pages = await sync_to_async(pages_of)(
        alice_client, [f"/c/{c.code}/" for c in conversations]
    )
    admin_pages = await sync_to_async(pages_of)(
        reviewer,
        ["/admin/chat/message/", "/admin/chat/conversation/", "/admin/chat/imageattachment/"]
        + [f"/admin/chat/conversation/{c.pk}/change/" for c in conversations]
        + [f"/admin/chat/message/{m.pk}/change/" for m in messages],
    )
    stored = [f"{m.text} {m.error} {m.error_code}" for m in messages]

    assert any("error" == m.status for m in messages)
    for where, texts in [
        ("websocket frames", frames),
        ("conversation pages", user_pages),
        ("admin pages", admin_pages),
        ("stored messages", stored),
        ("log lines", [caplog.text]),
    ]:
        assert not [t for t in texts if KEY[3:].casefold() in normalised(t)], where
