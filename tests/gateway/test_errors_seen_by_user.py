"""Every way a gateway call fails, end to end through the websocket: the sentence
the user sees, what is stored on the answer, and how many requests the gateway
received (retries). test_gateway_errors.py checks the same rows at the client."""

import json

import pytest

from chat.testing.upstream import Reply
from tests.support.gateway_helpers import ask

pytestmark = pytest.mark.django_db(transaction=True)

KEY = "sk-test-secret-key"


def openai_error(message):
    return json.dumps({"error": {"message": message, "type": "invalid_request_error"}})


def server_errors(status):
    # Retried twice (TOKENGATE_MAX_RETRIES=2 in the tests): three requests in all.
    return [Reply(status=status, body=openai_error("upstream failed"))] * 3


ROWS = {
    "400": (
        [Reply(status=400, body=openai_error("Invalid image URL in messages[1]."))],
        "bad_request",
        "The gateway refused the request (400): Invalid image URL in messages[1].",
        400,
        1,
        "",
    ),
    "401": (
        [Reply(status=401, body=openai_error(f"Incorrect API key provided: {KEY}"))],
        "unauthorized",
        "The gateway refused the API key (401). The administrator must set a valid "
        "TOKENGATE_API_KEY.",
        401,
        1,
        "",
    ),
    "403": (
        [Reply(status=403, body=openai_error("Forbidden"))],
        "unauthorized",
        "The gateway refused the API key (403). The administrator must set a valid "
        "TOKENGATE_API_KEY.",
        403,
        1,
        "",
    ),
    "404": (
        [Reply(status=404, body=openai_error("The model does not exist"))],
        "unknown_model",
        "The gateway does not know the model “gpt-4o” (404); the administrator can change "
        "TOKENGATE_MODELS, or TOKENGATE_BASE_URL is wrong.",
        404,
        1,
        "",
    ),
    "413": (
        [Reply(status=413, body=openai_error("Request too large"))],
        "payload_too_large",
        "The request is too large for the gateway (413): send fewer or smaller images.",
        413,
        1,
        "",
    ),
    "429 with Retry-After": (
        [Reply(status=429, body=openai_error("slow down"), headers={"Retry-After": "0"})] * 3,
        "rate_limited",
        "The gateway is rate-limiting requests (429); try again in a moment.",
        429,
        3,
        "",
    ),
    **{
        str(status): (
            server_errors(status),
            "gateway_unavailable",
            f"The gateway had a server error ({status}); try again in a moment.",
            status,
            3,
            "",
        )
        for status in (500, 502, 503, 504)
    },
    "a 200 that is not a stream": (
        [Reply(body='{"id": "chatcmpl-1", "object": "chat.completion", "choices": []}')],
        "bad_response",
        "The gateway sent a response that is not a chat completion stream (application/json).",
        200,
        1,
        "",
    ),
    "a stream cut mid-way": (
        [Reply(cut_after=2)],
        "interrupted",
        "The connection to the gateway broke off before the answer was finished.",
        200,
        1,
        "The image ",
    ),
    "a stream without [DONE] or a finish reason": (
        [Reply(done=False, finish_reason=None)],
        "interrupted",
        "The gateway closed the connection before the answer was finished.",
        200,
        1,
        "The image shows a red square.",
    ),
    "an error object after the first tokens": (
        [Reply(error_after=3)],
        "overloaded",
        "The model is overloaded at the gateway; try again in a moment.",
        200,
        1,
        "The image shows ",
    ),
}


@pytest.mark.parametrize("row", ROWS)
async def test_it_shows_stores_and_counts_each_failure(alice, alice_client, upstream, row):
    replies, code, sentence, http_status, requests, kept_text = ROWS[row]
    upstream.queue(*replies)

    events, answer = await ask(alice, alice_client)

    final = events[-1]
    assert final["type"] == "error"
    assert (final["code"], final["error"]) == (code, sentence)
    assert final["message"]["text"] == kept_text
    assert (answer.status, answer.error_code, answer.error) == ("error", code, sentence)
    assert answer.http_status == http_status
    assert answer.text == kept_text
    assert len(upstream.requests) == requests
    assert KEY not in json.dumps(events)


async def test_it_shows_and_stores_a_read_timeout(alice, alice_client, upstream, settings):
    settings.TOKENGATE_READ_TIMEOUT = 0.2
    upstream.queue(Reply(seconds_before_headers=30))

    events, answer = await ask(alice, alice_client)

    sentence = "The gateway sent nothing for 0.2 seconds; the answer was abandoned."
    assert (events[-1]["code"], events[-1]["error"]) == ("read_timeout", sentence)
    assert (answer.status, answer.error) == ("error", sentence)
    # The gateway may be working (and billing) on it: it is not sent again.
    assert len(upstream.requests) == 1


async def test_it_shows_and_stores_a_connect_error_after_retrying(
    alice, alice_client, settings, closed_port, caplog
):
    settings.TOKENGATE_BASE_URL = f"http://127.0.0.1:{closed_port}/v1"
    settings.TOKENGATE_API_KEY = KEY

    events, answer = await ask(alice, alice_client)

    sentence = "Could not connect to the gateway; it may be down or unreachable."
    assert (events[-1]["code"], events[-1]["error"]) == ("connect_error", sentence)
    assert (answer.status, answer.error, answer.http_status) == ("error", sentence, None)
    # Nothing listens, so the attempts are counted in the client's log lines.
    attempts = [r for r in caplog.records if r.name == "chat.gateway"]
    assert [a.getMessage().split("attempt=")[1].split()[0] for a in attempts] == ["1", "2", "3"]


async def test_it_shows_and_stores_a_connect_timeout(
    alice, alice_client, settings, full_backlog_port
):
    settings.TOKENGATE_BASE_URL = f"http://127.0.0.1:{full_backlog_port}/v1"
    settings.TOKENGATE_API_KEY = KEY
    settings.TOKENGATE_CONNECT_TIMEOUT = 0.1

    events, answer = await ask(alice, alice_client)

    sentence = (
        "The gateway did not accept the connection within 0.1 seconds; try again in a moment."
    )
    assert (events[-1]["code"], events[-1]["error"]) == ("connect_timeout", sentence)
    assert (answer.status, answer.error, answer.http_status) == ("error", sentence, None)
