"""A flood of "resume" and "sync" frames from one socket (issue 17, finding 1):
limited per socket, answered with one refusal, and resumes coalesced.
The outgoing buffer's bound is in tests/system/test_flood_memory.py."""

import asyncio

import pytest
from django.conf import settings

from chat.live import paths, throttle
from chat.live.relay import Relay
from chat.models import Conversation
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
async def conversation(alice):
    return await Conversation.objects.acreate(owner=alice, model="gpt-4o")


async def drain(page):
    """Every event the socket was sent until it goes quiet."""
    events = []
    while not await page.receive_nothing(timeout=0.5):
        events.append(await page.receive_json_from())
    return events


async def test_it_answers_a_flood_of_resumes_with_one_rate_limited_error(
    conversation, alice_client
):
    """Fails on main before issue 17: each of the 60 frames was answered with a path."""
    page, _, _ = await open_socket(conversation, alice_client)
    for _ in range(60):
        await page.send_json_to({"action": "resume", "shown": []})
    events = await drain(page)
    await page.disconnect()

    replies = [e for e in events if e["type"] == "path"]
    errors = [e for e in events if e["type"] == "error"]
    assert 1 <= len(replies) <= settings.WEBSOCKET_REPLIES_BURST
    assert len(errors) == 1
    assert errors[0]["code"] == "rate_limited" and errors[0]["retry_after"] >= 1
    assert "Too many resume or sync requests" in errors[0]["error"]


async def test_it_counts_sync_frames_against_the_same_limit(conversation, alice_client):
    """Fails on main before issue 17: sync had no limit and never answered rate_limited."""
    page, _, _ = await open_socket(conversation, alice_client)
    for _ in range(settings.WEBSOCKET_REPLIES_BURST):
        await page.send_json_to({"action": "sync"})
    await page.send_json_to({"action": "resume", "shown": []})
    await page.send_json_to({"action": "resume", "shown": []})
    events = await drain(page)
    await page.disconnect()

    assert [e["type"] for e in events] == ["error"]
    assert events[0]["code"] == "rate_limited"


async def test_the_burst_is_a_setting(conversation, alice_client, settings):
    """Fails before the limit was a setting: the bucket was fixed at 10 frames."""
    settings.WEBSOCKET_REPLIES_BURST = 3
    page, _, _ = await open_socket(conversation, alice_client)
    for _ in range(4):
        await page.send_json_to({"action": "sync"})
    events = await drain(page)
    await page.disconnect()

    assert [e["type"] for e in events] == ["error"]
    assert events[0]["code"] == "rate_limited"


def test_the_pace_is_a_setting(settings):
    """Fails before the limit was a setting: one frame every 2 s, whatever was configured."""
    settings.WEBSOCKET_REPLIES_BURST = 1
    settings.WEBSOCKET_REPLIES_SECONDS = 5
    now = [0.0]
    bucket = throttle.Bucket(clock=lambda: now[0])
    assert bucket.take()
    with pytest.raises(throttle.LimitReached) as refused:
        bucket.take()
    assert refused.value.retry_after == 5
    now[0] += 4
    assert bucket.take() is False
    now[0] += 1
    assert bucket.take() is True


def test_it_lets_frames_through_again_once_the_bucket_refills():
    now = [0.0]
    bucket = throttle.Bucket(capacity=2, per_second=0.5, clock=lambda: now[0])
    assert bucket.take() and bucket.take()
    with pytest.raises(throttle.LimitReached) as refused:
        bucket.take()
    assert refused.value.retry_after == 2
    assert bucket.take() is False  # dropped in silence: one refusal per flood
    now[0] += 2
    assert bucket.take() is True
    with pytest.raises(throttle.LimitReached):  # a new flood is told again
        bucket.take()


async def test_it_coalesces_resumes_that_arrive_while_one_is_answered(
    conversation, alice_client, monkeypatch
):
    """Fails on main before issue 17: the four frames got four paths, one after the other."""
    release = asyncio.Event()
    read, answer = paths.unseen_path, Relay.resume
    asked = []

    def recorded_unseen_path(conversation, shown):
        asked.append(shown)
        return read(conversation, shown)

    async def held_resume(relay, read):
        await release.wait()  # the first resume is being answered until the test says
        await answer(relay, read)

    monkeypatch.setattr(paths, "unseen_path", recorded_unseen_path)
    monkeypatch.setattr(Relay, "resume", held_resume)
    page, _, _ = await open_socket(conversation, alice_client)
    await page.send_json_to({"action": "resume", "shown": [[1, 1]]})
    await page.send_json_to({"action": "resume", "shown": [[2, 1]]})
    await page.send_json_to({"action": "resume", "shown": [[3, 1]]})
    await page.send_json_to({"action": "resume", "shown": [[4, 1]]})
    # Another action is handled meanwhile: the socket is not stuck behind the read.
    await page.send_json_to({"action": "nonsense"})
    refused = await receive_until(page, "error")
    release.set()
    events = await drain(page)
    await page.disconnect()

    assert refused[-1]["code"] == "bad_request"
    assert [e["type"] for e in events] == ["path", "path"]
    assert asked == [[(1, 1)], [(4, 1)]]  # the first, then only the last one waiting
