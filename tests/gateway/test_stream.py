"""The gateway client reads the OpenAI stream, and the variations real gateways send."""

import base64
import logging

import openai
import pytest

from chat import gateway
from chat.gateway.events import Finished
from chat.testing.upstream import DEFAULT_TOKENS, Reply
from tests.support.gateway_helpers import BODY, ask, stream, text_of

USAGE = {"prompt_tokens": 42, "completion_tokens": 6}


async def test_it_streams_the_text_and_the_usage(upstream):
    events = await stream()

    assert text_of(events) == "".join(DEFAULT_TOKENS)
    assert events[-1] == Finished("stop", prompt_tokens=42, completion_tokens=6)
    assert len(upstream.requests) == 1
    request = upstream.requests[0]
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == "Bearer sk-test-secret-key"
    assert request.body["stream"] is True
    # Without this the gateway sends no usage chunk at all.
    assert request.body["stream_options"] == {"include_usage": True}


async def sdk_text_and_usage(upstream):
    client = openai.AsyncOpenAI(base_url=upstream.url, api_key="sk-test-secret-key", max_retries=0)
    chunks = await client.chat.completions.create(
        **BODY, stream=True, stream_options={"include_usage": True}
    )
    text, usage = "", None
    async for chunk in chunks:
        if chunk.choices and chunk.choices[0].delta.content:
            text += chunk.choices[0].delta.content
        if chunk.usage:
            usage = chunk.usage
    await client.close()
    return text, (usage.prompt_tokens, usage.completion_tokens)


@pytest.mark.parametrize(
    "variation",
    [
        {},
        {"keep_alive": True},
        {"empty_choices_first": True},
        {"usage_on_finish_chunk": True},
        {"usage_on_every_chunk": True},
    ],
    ids=repr,
)
async def test_it_reads_the_stream_as_the_official_sdk_does(upstream, variation):
    upstream.queue(Reply(**variation), Reply(**variation))

    ours = await stream()
    sdk_text, sdk_usage = await sdk_text_and_usage(upstream)

    assert text_of(ours) == sdk_text == "".join(DEFAULT_TOKENS)
    assert (ours[-1].prompt_tokens, ours[-1].completion_tokens) == sdk_usage == (42, 6)


async def test_it_ignores_keep_alive_comments(upstream):
    upstream.queue(Reply(keep_alive=True))
    events = await stream()
    assert text_of(events) == "".join(DEFAULT_TOKENS)


async def test_it_ignores_chunks_with_empty_choices(upstream):
    upstream.queue(Reply(empty_choices_first=True))
    events = await stream()
    assert text_of(events) == "".join(DEFAULT_TOKENS)


async def test_it_takes_the_last_usage_when_every_chunk_carries_it(upstream):
    # Gemini's usage is cumulative: adding the chunks up would count tokens many times.
    upstream.queue(Reply(usage_on_every_chunk=True, usage=USAGE))
    events = await stream()
    assert events[-1] == Finished("stop", prompt_tokens=42, completion_tokens=6)


async def test_it_takes_the_usage_from_the_finish_chunk(upstream):
    upstream.queue(Reply(usage_on_finish_chunk=True, usage=USAGE))
    events = await stream()
    assert events[-1] == Finished("stop", prompt_tokens=42, completion_tokens=6)


async def test_it_accepts_a_finished_stream_without_done(upstream):
    upstream.queue(Reply(done=False))
    events = await stream()
    assert text_of(events) == "".join(DEFAULT_TOKENS)
    assert events[-1].reason == "stop"


async def test_it_calls_a_stream_without_done_or_finish_reason_interrupted(upstream, settings):
    settings.TOKENGATE_MAX_RETRIES = 0
    upstream.queue(Reply(done=False, finish_reason=None), Reply(done=False, finish_reason=None))

    events = []
    with pytest.raises(gateway.GatewayInterrupted) as caught:
        await stream(into=events)
    # The official SDK takes the same stream for a finished answer.
    sdk_text, _ = await sdk_text_and_usage(upstream)

    assert text_of(events) == sdk_text == "".join(DEFAULT_TOKENS)
    assert caught.value.code == "interrupted"
    assert "before the answer was finished" in caught.value.message


@pytest.mark.django_db(transaction=True)
async def test_it_tells_the_user_the_answer_was_cut_at_the_token_limit(
    alice, alice_client, upstream
):
    upstream.queue(Reply(finish_reason="length"))

    events, answer = await ask(alice, alice_client)

    assert events[-1]["type"] == "done"
    assert events[-1]["message"]["notice_code"] == "length"  # the page says it
    # The text that came is a whole answer as far as it goes: kept as complete.
    assert answer.status == "complete" and answer.finish_reason == "length"
    assert answer.text == "".join(DEFAULT_TOKENS)


@pytest.mark.django_db(transaction=True)
async def test_it_tells_the_user_the_gateway_filtered_the_answer(alice, alice_client, upstream):
    upstream.queue(Reply(tokens=["I can"], finish_reason="content_filter"))

    events, answer = await ask(alice, alice_client)

    assert events[-1]["message"]["notice_code"] == "content_filter"
    assert answer.status == "complete" and answer.finish_reason == "content_filter"


async def test_it_logs_each_request_on_one_line_without_the_key(upstream, caplog, png):
    image = f"data:image/png;base64,{base64.b64encode(png).decode()}"
    body = {
        "model": "gpt-4o",
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "image_url", "image_url": {"url": image}},
                    {"type": "text", "text": "What is it?"},
                ],
            }
        ],
    }
    with caplog.at_level(logging.INFO, logger="chat.gateway"):
        await stream(body)

    lines = [r.getMessage() for r in caplog.records if r.name == "chat.gateway"]
    assert len(lines) == 1
    line = lines[0]
    for field in ("model=gpt-4o", "images=1", "status=200", "outcome=complete", "attempt=1"):
        assert field in line
    for field in ("bytes=", "first_token_ms=", "total_ms=", "prompt_tokens=42"):
        assert field in line
    assert "completion_tokens=6" in line
    assert f"bytes={upstream.requests[0].headers['Content-Length']}" in line
    assert "sk-test-secret-key" not in caplog.text
    assert image[30:60] not in caplog.text  # no image bytes either
