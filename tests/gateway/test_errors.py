"""Each way a gateway call fails: the typed exception, the user's sentence, what is
stored, and how many requests the gateway received."""

import json

import pytest

from chat import gateway
from chat.testing.upstream import Reply
from tests.support.gateway_helpers import ask, stream, text_of

KEY = "sk-test-secret-key"


def openai_error(message, kind="invalid_request_error"):
    return json.dumps({"error": {"message": message, "type": kind, "code": None}})


async def test_it_shows_the_message_of_a_400(upstream):
    upstream.queue(Reply(status=400, body=openai_error("Invalid image URL in messages[1].")))

    with pytest.raises(gateway.GatewayRejected) as caught:
        await stream()

    error = caught.value
    assert error.message == (
        "The gateway refused the request (400): Invalid image URL in messages[1]."
    )
    assert (error.code, error.status) == ("bad_request", 400)
    assert len(upstream.requests) == 1  # a refused request is not sent again


async def test_it_reads_a_vllm_error_body(upstream):
    body = json.dumps(
        {"object": "error", "message": "max_tokens is too large", "type": "BadRequestError"}
    )
    upstream.queue(Reply(status=400, body=body))

    with pytest.raises(gateway.GatewayRejected) as caught:
        await stream()

    assert caught.value.message == "The gateway refused the request (400): max_tokens is too large"


@pytest.mark.parametrize("status", [401, 403])
async def test_it_tells_the_admin_to_set_the_key(upstream, status):
    # OpenAI echoes (part of) the key in this message: it must not reach the user.
    upstream.queue(Reply(status=status, body=openai_error(f"Incorrect API key provided: {KEY}")))

    with pytest.raises(gateway.GatewayAuthError) as caught:
        await stream()

    error = caught.value
    assert error.message == (
        f"The gateway refused the API key ({status}). The administrator must set a valid "
        "TOKENGATE_API_KEY."
    )
    assert (error.code, error.status) == ("unauthorized", status)
    assert KEY not in str(error)
    assert len(upstream.requests) == 1


async def test_it_never_shows_the_key_in_an_error_detail(upstream):
    upstream.queue(Reply(status=400, body=openai_error(f"Bad header: Bearer {KEY}")))

    with pytest.raises(gateway.GatewayRejected) as caught:
        await stream()

    assert KEY not in caught.value.message
    assert "Bearer [the API key]" in caught.value.message


async def test_it_names_the_unknown_model(upstream):
    upstream.queue(Reply(status=404, body=openai_error("The model `gpt-4o` does not exist")))

    with pytest.raises(gateway.GatewayRejected) as caught:
        await stream()

    assert caught.value.code == "unknown_model"
    assert caught.value.message.startswith("The gateway does not know the model “gpt-4o” (404)")
    assert len(upstream.requests) == 1


async def test_it_says_the_request_was_too_large(upstream):
    upstream.queue(Reply(status=413, body="<html>Request Entity Too Large</html>"))

    with pytest.raises(gateway.GatewayRejected) as caught:
        await stream()

    assert caught.value.code == "payload_too_large"
    assert caught.value.message == (
        "The request is too large for the gateway (413): send fewer or smaller images."
    )
    assert len(upstream.requests) == 1


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_it_reports_a_server_error_after_retrying(upstream, status):
    failing = Reply(status=status, body=openai_error("upstream failed", "server_error"))
    upstream.queue(failing, failing, failing)

    with pytest.raises(gateway.GatewayUnavailable) as caught:
        await stream()

    assert caught.value.message == (
        f"The gateway had a server error ({status}); try again in a moment."
    )
    assert caught.value.status == status
    assert len(upstream.requests) == 3  # the first try and TOKENGATE_MAX_RETRIES = 2


async def test_it_does_not_show_an_html_error_page(upstream, settings):
    settings.TOKENGATE_MAX_RETRIES = 0
    page = "<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>"
    upstream.queue(Reply(status=502, body=page, content_type="text/html"))

    with pytest.raises(gateway.GatewayUnavailable) as caught:
        await stream()

    assert "nginx" not in caught.value.message and "<" not in caught.value.message


async def test_it_reports_a_connect_error(settings, closed_port, caplog):
    settings.TOKENGATE_BASE_URL = f"http://127.0.0.1:{closed_port}/v1"
    settings.TOKENGATE_API_KEY = KEY

    with pytest.raises(gateway.GatewayUnavailable) as caught:
        await stream()

    assert caught.value.code == "connect_error"
    assert caught.value.message == (
        "Could not connect to the gateway; it may be down or unreachable."
    )
    assert caught.value.status is None
    # Retried: one log line per attempt.
    attempts = [r for r in caplog.records if "outcome=connect_error" in r.getMessage()]
    assert len(attempts) == 3


async def test_it_reports_a_connect_timeout(settings, full_backlog_port):
    settings.TOKENGATE_BASE_URL = f"http://127.0.0.1:{full_backlog_port}/v1"
    settings.TOKENGATE_API_KEY = KEY
    settings.TOKENGATE_CONNECT_TIMEOUT = 0.1
    settings.TOKENGATE_MAX_RETRIES = 0

    with pytest.raises(gateway.GatewayTimeout) as caught:
        await stream()

    assert caught.value.code == "connect_timeout"
    assert caught.value.message == (
        "The gateway did not accept the connection within 0.1 seconds; try again in a moment."
    )


async def test_it_reports_a_read_timeout_without_retrying(upstream, settings):
    settings.TOKENGATE_READ_TIMEOUT = 0.2
    upstream.queue(Reply(seconds_before_headers=30))

    with pytest.raises(gateway.GatewayTimeout) as caught:
        await stream()

    assert caught.value.code == "read_timeout"
    assert caught.value.message == (
        "The gateway sent nothing for 0.2 seconds; the answer was abandoned."
    )
    # The gateway may be working (and billing) on it: not sent again.
    assert len(upstream.requests) == 1


async def test_it_refuses_a_response_that_is_not_a_stream(upstream):
    upstream.queue(Reply(body="<html>Welcome to the hotel wifi</html>", content_type="text/html"))

    with pytest.raises(gateway.GatewayBadResponse) as caught:
        await stream()

    assert caught.value.message == (
        "The gateway sent a response that is not a chat completion stream (text/html)."
    )
    assert (caught.value.code, caught.value.status) == ("bad_response", 200)
    assert len(upstream.requests) == 1


async def test_it_shows_an_error_object_in_a_200_json_body(upstream):
    upstream.queue(Reply(body=openai_error("Model is loading")))

    with pytest.raises(gateway.GatewayRejected) as caught:
        await stream()

    assert caught.value.message == "The gateway reported an error: Model is loading"


async def test_it_refuses_an_event_that_is_not_json(upstream):
    upstream.queue(Reply(body="data: <html>oops</html>\n\n", content_type="text/event-stream"))

    with pytest.raises(gateway.GatewayBadResponse) as caught:
        await stream()

    assert caught.value.message == "The gateway sent a stream event that is not a JSON object."


async def test_it_reports_a_stream_cut_mid_way_keeping_the_text(upstream):
    upstream.queue(Reply(tokens=["The ", "image ", "shows"], cut_after=2))

    events = []
    with pytest.raises(gateway.GatewayInterrupted) as caught:
        await stream(into=events)

    assert text_of(events) == "The image "
    assert caught.value.code == "interrupted"
    assert len(upstream.requests) == 1  # text had streamed: no retry


async def test_it_reports_an_error_object_sent_after_the_first_tokens(upstream):
    upstream.queue(Reply(tokens=["A ", "red ", "square"], error_after=2))

    events = []
    with pytest.raises(gateway.GatewayUnavailable) as caught:
        await stream(into=events)

    assert text_of(events) == "A red "
    assert caught.value.code == "overloaded"
    assert caught.value.message == (
        "The model is overloaded at the gateway; try again in a moment."
    )
    assert "The upstream model overloaded." in caught.value.raw  # kept for review
    assert len(upstream.requests) == 1  # text had streamed: no retry


async def test_it_reads_a_vllm_error_object_mid_stream(upstream):
    vllm = {"object": "error", "message": "CUDA out of memory", "type": "InternalServerError"}
    upstream.queue(Reply(error_after=1, error_event=vllm))

    with pytest.raises(gateway.GatewayUnavailable) as caught:
        await stream()

    assert caught.value.message == "The gateway had a server error; try again in a moment."
    assert "CUDA out of memory" in caught.value.raw


async def test_it_needs_a_key(settings):
    settings.TOKENGATE_API_KEY = ""

    with pytest.raises(gateway.GatewayAuthError) as caught:
        await stream()

    assert caught.value.code == "no_api_key"


# Through the websocket: the sentence the user sees and what is stored.


@pytest.mark.django_db(transaction=True)
async def test_it_stores_and_shows_the_key_error(alice, alice_client, upstream):
    upstream.queue(Reply(status=401, body=openai_error(f"Incorrect API key provided: {KEY}")))

    events, answer = await ask(alice, alice_client)

    assert events[-1]["type"] == "error" and events[-1]["code"] == "unauthorized"
    assert "TOKENGATE_API_KEY" in events[-1]["error"]
    assert KEY not in json.dumps(events)
    assert (answer.status, answer.error_code, answer.http_status) == ("error", "unauthorized", 401)
    assert answer.error == events[-1]["error"]
    assert len(upstream.requests) == 1


@pytest.mark.django_db(transaction=True)
async def test_it_keeps_the_text_of_a_stream_cut_mid_way(alice, alice_client, upstream):
    upstream.queue(Reply(tokens=["Two ", "cats ", "on ", "a ", "sofa"], cut_after=3))

    events, answer = await ask(alice, alice_client)

    assert events[-1]["type"] == "error"
    assert events[-1]["error"] == (
        "The connection to the gateway broke off before the answer was finished."
    )
    assert events[-1]["message"]["text"] == "Two cats on "
    assert (answer.status, answer.error_code) == ("error", "interrupted")
    assert answer.text == "Two cats on "
    assert len(upstream.requests) == 1


@pytest.mark.django_db(transaction=True)
async def test_it_keeps_the_text_before_an_error_object_mid_stream(alice, alice_client, upstream):
    upstream.queue(Reply(tokens=["Two ", "cats ", "on ", "a ", "sofa"], error_after=2))

    events, answer = await ask(alice, alice_client)

    assert events[-1]["error"] == "The model is overloaded at the gateway; try again in a moment."
    assert (answer.status, answer.text, answer.http_status) == ("error", "Two cats ", 200)
    assert "The upstream model overloaded." in answer.upstream_error
    assert len(upstream.requests) == 1
