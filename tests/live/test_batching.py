"""Leading-edge batching of an answer's tokens, on a fake clock: a quiet
stream's token goes out at once, tokens arriving faster than the window go out
together at its end, and the window grows with the answers a process streams."""

import asyncio
from types import SimpleNamespace

import pytest

from chat.live import answer_task
from chat.live.answer_task import Answer
from chat.live.batching import BATCH_SECONDS, batch_seconds
from tests.support.clock import FakeClock


async def settle():
    for _ in range(20):
        await asyncio.sleep(0)


@pytest.fixture
async def streaming(monkeypatch):
    """An answer's publisher on a fake clock, as if the process streamed `answers`
    answers; yields (answer, clock, events published to the conversation)."""
    published = []

    async def publish(code, event):
        published.append(event)

    monkeypatch.setattr(answer_task, "publish", publish)
    answer = Answer(SimpleNamespace(code="c0de"), message_id=7, model="gpt-4o")
    answer.clock = clock = FakeClock()
    answer.heartbeats = SimpleNamespace(answers=set(range(50)))  # a busy process
    publisher = asyncio.create_task(answer._publish_while_streaming())
    yield answer, clock, published
    answer._end()
    await publisher


def token(answer, text):
    answer.parts.append(text)
    answer.wake.set()


def texts(published):
    return [(event["offset"], event["text"]) for event in published]


async def test_a_quiet_streams_first_token_goes_out_without_waiting_for_the_window(streaming):
    answer, clock, published = streaming

    token(answer, "Hello")
    await settle()

    assert texts(published) == [(0, "Hello")]
    assert clock.now == 0.0 and clock.pending() == []


async def test_tokens_arriving_faster_than_the_window_go_out_together_at_its_end(streaming):
    answer, clock, published = streaming
    token(answer, "Hello")
    await settle()

    clock.advance(0.010)
    token(answer, ",")
    await settle()
    clock.advance(0.020)
    token(answer, " world")
    await settle()
    assert texts(published) == [(0, "Hello")]  # both wait for the window

    clock.advance(BATCH_SECONDS - 0.030)
    await settle()
    assert texts(published) == [(0, "Hello"), (5, ", world")]


async def test_a_token_after_a_quiet_spell_goes_out_at_once(streaming):
    answer, clock, published = streaming
    token(answer, "One")
    await settle()

    clock.advance(BATCH_SECONDS * 3)
    token(answer, " two")
    await settle()

    assert texts(published) == [(0, "One"), (3, " two")]
    assert clock.pending() == []


async def test_the_end_of_the_stream_does_not_wait_for_the_window(streaming):
    answer, clock, published = streaming
    token(answer, "One")
    await settle()
    clock.advance(0.001)
    token(answer, " two")  # waits for the window
    await settle()

    answer._end()
    await settle()

    assert texts(published) == [(0, "One")]  # the rest goes with the final save
    assert answer.published == 3


def test_the_window_grows_with_the_answers_the_process_streams():
    assert batch_seconds(1) == pytest.approx(0.001)
    assert batch_seconds(20) == pytest.approx(0.020)
    assert batch_seconds(50) == batch_seconds(400) == BATCH_SECONDS
    assert batch_seconds(0) == batch_seconds(1)
