"""The gateway behind the proxies people put in front of it: LiteLLM's and
OpenRouter's errors, quotas, cool-downs and retry counts.

The bodies below were captured from a real LiteLLM 1.108.7 proxy in front of
chat/testing/upstream.py (and, for OpenRouter, are the shapes its documentation
gives); the fake upstream replays them over real HTTP.
"""

import json
import logging

import pytest

from chat import gateway
from chat.gateway import failures
from chat.testing.upstream import DEFAULT_TOKENS, Reply
from tests.support.gateway_helpers import ask, stream, text_of

KEY = "sk-test-secret-key"
LITELLM_FOOTER = (
    "\n\nLiteLLM: model group 'gpt-4o' failed with the error above. No fallback was attempted."
)
# A cut between LiteLLM and its upstream, as LiteLLM tells it: HTTP 200, a
# role-only chunk, then this event.
LITELLM_CONNECTION_ERROR = {
    "error": {
        "message": "litellm.APIConnectionError: APIConnectionError: OpenAIException - "
        "Connection error.",
        "type": None,
        "param": None,
        "code": "500",
    }
}
LITELLM_400 = json.dumps(
    {
        "error": {
            "message": "litellm.BadRequestError: OpenAIException - Invalid image URL in "
            "messages[1]." + LITELLM_FOOTER,
            "type": "invalid_request_error",
            "param": None,
            "code": "400",
        }
    }
)
# OpenAI's insufficient_quota after LiteLLM: the code is gone, the words remain.
LITELLM_QUOTA = json.dumps(
    {
        "error": {
            "message": "litellm.RateLimitError: RateLimitError: OpenAIException - You exceeded "
            "your current quota, please check your plan and billing details." + LITELLM_FOOTER,
            "type": "throttling_error",
            "param": None,
            "code": "429",
        }
    }
)
OPENAI_QUOTA = json.dumps(
    {
        "error": {
            "message": "You exceeded your current quota, please check your plan and billing "
            "details.",
            "type": "insufficient_quota",
            "param": None,
            "code": "insufficient_quota",
        }
    }
)
OPENROUTER_NO_CREDITS = json.dumps(
    {"error": {"code": 402, "message": "Insufficient credits. Add more credits to continue."}}
)
# After an upstream 401 LiteLLM holds the model back and answers this itself.
LITELLM_COOLDOWN = json.dumps(
    {
        "error": {
            "message": "No deployments available for selected model, Try again in 5 seconds. "
            "All deployments for selected model are in cooldown. Passed model=gpt-4o. "
            "pre-call-checks=False, cooldown_list=['fe37f1708049a4a5']",
            "type": "all_deployments_in_cooldown",
            "param": None,
            "code": "429",
        }
    }
)
# OpenRouter's error after the stream began: HTTP 200, the error on the chunk,
# and the choice finished with "error".
OPENROUTER_STREAM_ERROR = {
    "id": "gen-1733000000-abc",
    "object": "chat.completion.chunk",
    "created": 1733000000,
    "model": "openai/gpt-4o",
    "provider": "OpenAI",
    "error": {"code": "server_error", "message": "Provider disconnected unexpectedly"},
    "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "error"}],
}
QUOTA_SENTENCE = (
    "The gateway account is out of quota or credit (429). Please tell the administrator of "
    "this app: they must top it up or raise its limit with the gateway's provider. Trying "
    "again will not help until then."
)


@pytest.fixture(autouse=True)
def _log(caplog):
    caplog.set_level(logging.INFO, logger="chat.gateway")


def logged(caplog, field):
    """The value of `field` on each logged gateway request."""
    return [
        record.getMessage().split(f"{field}=")[1].split()[0]
        for record in caplog.records
        if record.name == "chat.gateway" and f"{field}=" in record.getMessage()
    ]


# In-stream errors before and after the first word.


async def test_it_retries_litellms_connection_error_before_the_first_word(upstream):
    upstream.queue(Reply(error_after=0, error_event=LITELLM_CONNECTION_ERROR))

    events = await stream()

    assert text_of(events) == "".join(DEFAULT_TOKENS)
    assert len(upstream.requests) == 2


async def test_it_keeps_the_text_of_litellms_connection_error_mid_answer(upstream):
    upstream.queue(Reply(error_after=2, error_event=LITELLM_CONNECTION_ERROR))

    events = []
    with pytest.raises(gateway.GatewayInterrupted) as caught:
        await stream(into=events)

    # Stored as a direct cut is: interrupted, our sentence, the text kept.
    assert text_of(events) == "The image "
    assert caught.value.code == "interrupted"
    assert caught.value.message == (
        "The connection to the gateway broke off before the answer was finished."
    )
    assert "litellm" not in caught.value.message
    assert "litellm.APIConnectionError" in caught.value.raw
    assert len(upstream.requests) == 1


async def test_it_retries_openrouters_finish_reason_error_before_the_first_word(upstream):
    upstream.queue(Reply(error_after=0, error_event=OPENROUTER_STREAM_ERROR))

    events = await stream()

    assert text_of(events) == "".join(DEFAULT_TOKENS)
    assert len(upstream.requests) == 2


async def test_it_keeps_the_text_of_openrouters_finish_reason_error(upstream):
    upstream.queue(Reply(error_after=3, error_event=OPENROUTER_STREAM_ERROR))

    events = []
    with pytest.raises(gateway.GatewayInterrupted) as caught:
        await stream(into=events)

    assert text_of(events) == "The image shows "
    assert caught.value.code == "interrupted"
    assert "Provider disconnected unexpectedly" in caught.value.raw
    assert len(upstream.requests) == 1


async def test_it_gives_up_on_an_in_stream_error_after_the_last_retry(upstream):
    failing = Reply(error_after=0, error_event=LITELLM_CONNECTION_ERROR)
    upstream.queue(failing, failing, failing)

    with pytest.raises(gateway.GatewayInterrupted) as caught:
        await stream()

    assert caught.value.message == (
        "The connection to the gateway broke off before the answer was finished."
    )
    assert len(upstream.requests) == 3


async def test_it_does_not_retry_an_in_stream_bad_request(upstream):
    refused = {"error": {"message": "Image too large", "type": "invalid_request_error"}}
    upstream.queue(Reply(error_after=0, error_event=refused))

    with pytest.raises(gateway.GatewayRejected) as caught:
        await stream()

    assert caught.value.message == "The gateway refused the request: Image too large"
    assert len(upstream.requests) == 1


# What the user reads instead of the proxy's wording.


async def test_it_shows_the_upstreams_own_reason_for_a_bad_request(upstream):
    upstream.queue(Reply(status=400, body=LITELLM_400))

    with pytest.raises(gateway.GatewayRejected) as caught:
        await stream()

    assert caught.value.message == (
        "The gateway refused the request (400): Invalid image URL in messages[1]."
    )
    assert caught.value.raw == LITELLM_400
    assert len(upstream.requests) == 1


@pytest.mark.parametrize(
    "message, reason",
    [
        (
            "litellm.BadRequestError: VertexAIException BadRequestError - "
            '{"error": {"code": 400, "message": "Unable to process input image.", '
            '"status": "INVALID_ARGUMENT"}}' + LITELLM_FOOTER,
            "Unable to process input image.",
        ),
        (
            "litellm.BadRequestError: OpenAIException - Error code: 400 - invalid detail"
            "\nReceived Model Group=gpt-4o\nAvailable Model Group Fallbacks=None",
            "Error code: 400 - invalid detail",
        ),
        ("max_tokens is too large", "max_tokens is too large"),
    ],
)
def test_it_strips_the_proxys_wording_from_a_reason(message, reason):
    error = {"message": message, "type": "", "code": "", "metadata": {}}
    assert failures.short_reason(error) == reason


def test_it_shows_the_providers_reason_behind_openrouters_wrapper():
    error = failures.error_object(
        {
            "error": {
                "code": 400,
                "message": "Provider returned error",
                "metadata": {"raw": "Image exceeds 20 MB", "provider_name": "Google"},
            }
        }
    )
    assert failures.short_reason(error) == "Image exceeds 20 MB"


# Quotas: not transient, not retried, and someone must be told.


@pytest.mark.parametrize("body", [LITELLM_QUOTA, OPENAI_QUOTA], ids=["litellm", "openai"])
async def test_it_says_the_quota_is_exhausted_without_retrying(upstream, body):
    upstream.queue(*[Reply(status=429, body=body)] * 3)

    with pytest.raises(gateway.GatewayQuotaExceeded) as caught:
        await stream()

    assert caught.value.code == "quota_exceeded"
    assert caught.value.message == QUOTA_SENTENCE
    assert len(upstream.requests) == 1


async def test_it_says_the_quota_is_exhausted_even_with_a_retry_after(upstream):
    # The code says it: no wait helps a used-up quota.
    upstream.queue(Reply(status=429, body=OPENAI_QUOTA, headers={"Retry-After": "1"}))

    with pytest.raises(gateway.GatewayQuotaExceeded):
        await stream()

    assert len(upstream.requests) == 1


async def test_it_says_openrouters_credits_are_used_up(upstream):
    upstream.queue(Reply(status=402, body=OPENROUTER_NO_CREDITS))

    with pytest.raises(gateway.GatewayQuotaExceeded) as caught:
        await stream()

    assert caught.value.message.startswith("The gateway account is out of quota or credit (402).")
    assert len(upstream.requests) == 1


async def test_it_treats_a_per_minute_quota_with_a_wait_as_a_rate_limit(upstream, caplog):
    # Gemini says "exceeded your current quota" for its per-minute limits too,
    # and then how long to wait.
    gemini = json.dumps(
        {
            "error": {
                "code": 429,
                "message": "You exceeded your current quota, please check your plan and billing "
                "details.\n* Quota exceeded for metric: generate_content_free_tier_requests, "
                "limit: 10\nPlease retry in 0.03s.",
                "status": "RESOURCE_EXHAUSTED",
            }
        }
    )
    upstream.queue(Reply(status=429, body=gemini))

    events = await stream()

    assert text_of(events) == "".join(DEFAULT_TOKENS)
    assert logged(caplog, "retry_in_ms") == ["30"]


# Cool-downs: the wait is in the body.


def test_it_reads_the_wait_from_litellms_cool_down_body():
    failure = failures.for_response(429, LITELLM_COOLDOWN, {}, model="gpt-4o")

    assert isinstance(failure, gateway.GatewayRateLimited)
    assert (failure.code, failure.retry_after) == ("cooling_down", 5)
    assert failure.message == (
        "The gateway has paused the model “gpt-4o” for a short while after errors (429); "
        "try again in 5 seconds."
    )


async def test_it_tells_the_cool_down_wait_it_will_not_wait_out(upstream, settings):
    settings.TOKENGATE_RETRY_AFTER_MAX_SECONDS = 1
    upstream.queue(Reply(status=429, body=LITELLM_COOLDOWN))

    with pytest.raises(gateway.GatewayRateLimited) as caught:
        await stream()

    assert caught.value.message.endswith("; try again in 5 seconds.")
    assert len(upstream.requests) == 1


async def test_it_waits_out_a_short_cool_down_and_retries(upstream, caplog):
    short = LITELLM_COOLDOWN.replace("Try again in 5 seconds", "Try again in 20ms")
    upstream.queue(Reply(status=429, body=short))

    await stream()

    assert logged(caplog, "retry_in_ms") == ["20"]
    assert len(upstream.requests) == 2


async def test_it_prefers_the_retry_after_header_to_the_body(upstream, caplog):
    upstream.queue(Reply(status=429, body=LITELLM_COOLDOWN, headers={"Retry-After": "0.01"}))

    await stream()

    assert logged(caplog, "retry_in_ms") == ["10"]


# A proxy that already retried: no retries of ours on top.


async def test_it_adds_no_retries_to_a_proxy_that_already_retried(upstream, caplog):
    headers = {"x-litellm-attempted-retries": "1", "x-litellm-max-retries": "2"}
    upstream.queue(
        Reply(error_after=0, error_event=LITELLM_CONNECTION_ERROR, headers=headers), Reply()
    )

    with pytest.raises(gateway.GatewayInterrupted):
        await stream()

    assert len(upstream.requests) == 1
    assert logged(caplog, "proxy_retries") == ["1"]


async def test_it_retries_when_the_proxy_says_it_made_no_retries(upstream):
    headers = {"x-litellm-attempted-retries": "0", "x-litellm-max-retries": "0"}
    upstream.queue(Reply(error_after=0, error_event=LITELLM_CONNECTION_ERROR, headers=headers))

    await stream()

    assert len(upstream.requests) == 2


async def test_it_adds_no_retries_to_a_proxys_retried_server_error(upstream):
    busy = json.dumps({"error": {"message": "busy", "type": "server_error"}})
    headers = {"x-litellm-attempted-retries": "2", "x-litellm-max-retries": "2"}
    upstream.queue(Reply(status=503, body=busy, headers=headers), Reply())

    with pytest.raises(gateway.GatewayUnavailable):
        await stream()

    assert len(upstream.requests) == 1


# Logs and storage: the raw text is kept, the user never sees it.


async def test_it_logs_the_upstreams_raw_error(upstream, caplog):
    upstream.queue(Reply(status=400, body=LITELLM_400))

    with pytest.raises(gateway.GatewayRejected):
        await stream()

    line = next(r.getMessage() for r in caplog.records if "upstream_error=" in r.getMessage())
    assert "outcome=bad_request" in line
    assert json.loads(line.split("upstream_error=", 1)[1]) == LITELLM_400
    assert "\n" not in line  # one line per request, even for a multi-line body


@pytest.mark.django_db(transaction=True)
async def test_it_stores_the_raw_error_and_shows_our_sentence(alice, alice_client, upstream):
    upstream.queue(Reply(status=429, body=LITELLM_QUOTA.replace("details.", f"details. {KEY}")))

    events, answer = await ask(alice, alice_client)

    assert (events[-1]["code"], events[-1]["error"]) == ("quota_exceeded", QUOTA_SENTENCE)
    assert "upstream_error" not in events[-1]["message"]
    assert "litellm" not in json.dumps(events)
    assert (answer.status, answer.error, answer.http_status) == ("error", QUOTA_SENTENCE, 429)
    assert "litellm.RateLimitError" in answer.upstream_error
    assert KEY not in answer.upstream_error and "[the API key]" in answer.upstream_error
    assert len(upstream.requests) == 1


@pytest.mark.django_db(transaction=True)
async def test_it_stores_a_mid_answer_cut_through_litellm_as_interrupted(
    alice, alice_client, upstream
):
    upstream.queue(
        Reply(tokens=["Two ", "cats ", "on"], error_after=2, error_event=LITELLM_CONNECTION_ERROR)
    )

    events, answer = await ask(alice, alice_client)

    assert events[-1]["error"] == (
        "The connection to the gateway broke off before the answer was finished."
    )
    assert (answer.status, answer.error_code, answer.text) == ("error", "interrupted", "Two cats ")
    assert "APIConnectionError" in answer.upstream_error
