"""Retries: which failures are sent again, how long the client waits, and when it stops.

The conftest makes backoff milliseconds long; the waits the client chose are read
from its log lines (retry_in_ms), never measured.
"""

import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from chat import gateway
from chat.gateway import client
from chat.testing.upstream import DEFAULT_TOKENS, Reply
from tests.support.gateway_helpers import ask, stream, text_of

BUSY = '{"error": {"message": "busy", "type": "server_error"}}'


def waits(caplog):
    """The retry_in_ms of every logged attempt that was retried."""
    return [
        int(record.getMessage().split("retry_in_ms=")[1].split()[0])
        for record in caplog.records
        if "retry_in_ms=" in record.getMessage()
    ]


@pytest.fixture(autouse=True)
def _log(caplog):
    caplog.set_level(logging.INFO, logger="chat.gateway")


async def test_it_retries_a_503_then_streams(upstream):
    upstream.queue(Reply(status=503, body=BUSY))

    events = await stream()

    assert text_of(events) == "".join(DEFAULT_TOKENS)
    assert len(upstream.requests) == 2


async def test_it_retries_a_408(upstream):
    upstream.queue(Reply(status=408, body=""))
    await stream()
    assert len(upstream.requests) == 2


async def test_it_retries_a_stream_cut_before_the_first_token(upstream):
    upstream.queue(Reply(cut_after=0))
    events = await stream()
    assert text_of(events) == "".join(DEFAULT_TOKENS)
    assert len(upstream.requests) == 2


async def test_it_stops_after_the_configured_number_of_retries(upstream, settings):
    settings.TOKENGATE_MAX_RETRIES = 4
    upstream.queue(*[Reply(status=500, body=BUSY)] * 6)

    with pytest.raises(gateway.GatewayUnavailable):
        await stream()

    assert len(upstream.requests) == 5


async def test_it_does_not_retry_when_retries_are_off(upstream, settings):
    settings.TOKENGATE_MAX_RETRIES = 0
    upstream.queue(Reply(status=500, body=BUSY))

    with pytest.raises(gateway.GatewayUnavailable):
        await stream()

    assert len(upstream.requests) == 1


async def test_it_does_not_retry_a_refused_request(upstream):
    upstream.queue(Reply(status=400, body='{"error": {"message": "bad"}}'))
    with pytest.raises(gateway.GatewayRejected):
        await stream()
    assert len(upstream.requests) == 1


async def test_it_honours_retry_after_in_seconds(upstream, caplog):
    upstream.queue(Reply(status=429, body=BUSY, headers={"Retry-After": "0.02"}))

    await stream()

    assert waits(caplog) == [20]
    assert len(upstream.requests) == 2


async def test_it_honours_retry_after_ms(upstream, caplog):
    upstream.queue(Reply(status=429, body=BUSY, headers={"retry-after-ms": "30"}))
    await stream()
    assert waits(caplog) == [30]


async def test_it_honours_litellms_retry_after_header(upstream, caplog):
    upstream.queue(Reply(status=429, body=BUSY, headers={"llm_provider-retry-after": "0.04"}))
    await stream()
    assert waits(caplog) == [40]


async def test_it_honours_retry_after_as_an_http_date(upstream, settings, caplog):
    # A backoff long enough to tell apart from the date's "now": had the date been
    # ignored, the log would say at least 150 ms.
    settings.TOKENGATE_RETRY_BASE_SECONDS = settings.TOKENGATE_RETRY_MAX_SECONDS = 0.2
    past = format_datetime(datetime.now(UTC) - timedelta(seconds=5), usegmt=True)
    upstream.queue(Reply(status=503, body=BUSY, headers={"Retry-After": past}))

    await stream()

    assert waits(caplog) == [0]


async def test_it_does_not_wait_out_a_retry_after_beyond_the_cap(upstream, settings):
    settings.TOKENGATE_RETRY_AFTER_MAX_SECONDS = 60
    upstream.queue(Reply(status=429, body=BUSY, headers={"Retry-After": "120"}))

    with pytest.raises(gateway.GatewayRateLimited) as caught:
        await stream()

    assert caught.value.message == (
        "The gateway is rate-limiting requests (429); try again in 2 minutes."
    )
    assert len(upstream.requests) == 1


async def test_it_backs_off_exponentially_with_jitter_when_the_gateway_says_nothing(settings):
    settings.TOKENGATE_RETRY_BASE_SECONDS = 0.5
    settings.TOKENGATE_RETRY_MAX_SECONDS = 8
    failure = gateway.GatewayUnavailable("down")

    for retries_done, full in enumerate([0.5, 1, 2, 4, 8, 8]):
        delay = client._retry_delay(failure, retries_done)
        assert 0.75 * full <= delay <= full


@pytest.mark.django_db(transaction=True)
async def test_it_shows_the_rate_limit_after_the_last_retry(alice, alice_client, upstream):
    limited = Reply(status=429, body=BUSY, headers={"Retry-After": "0"})
    upstream.queue(limited, limited, limited)

    events, answer = await ask(alice, alice_client)

    assert events[-1]["type"] == "error" and events[-1]["code"] == "rate_limited"
    assert events[-1]["error"] == (
        "The gateway is rate-limiting requests (429); try again in a moment."
    )
    assert (answer.status, answer.http_status) == ("error", 429)
    assert len(upstream.requests) == 3


@pytest.mark.django_db(transaction=True)
async def test_it_answers_after_a_retry_without_the_user_noticing(alice, alice_client, upstream):
    upstream.queue(Reply(status=502, body="<html>Bad Gateway</html>", content_type="text/html"))

    events, answer = await ask(alice, alice_client)

    assert events[-1]["type"] == "done"
    assert [e["type"] for e in events].count("error") == 0
    assert (answer.status, answer.text) == ("complete", "".join(DEFAULT_TOKENS))
    assert len(upstream.requests) == 2


@pytest.mark.django_db(transaction=True)
async def test_it_does_not_retry_once_text_has_reached_the_user(alice, alice_client, upstream):
    upstream.queue(Reply(tokens=["Half ", "an ", "answer"], cut_after=2))

    events, answer = await ask(alice, alice_client)

    # A retry would stream "Half an " a second time.
    assert (answer.status, answer.text) == ("error", "Half an ")
    assert events[-1]["type"] == "error"
    assert len(upstream.requests) == 1
