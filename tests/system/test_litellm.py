"""The app behind a real LiteLLM proxy, which routes the five gateway models to
the fake upstream: what the user sees and what reaches the upstream, end to
end through the websocket.

LiteLLM runs with its own retries off, as the README asks; so every upstream
request counted here is one the app made.
"""

import asyncio
import json

import pytest
from asgiref.sync import sync_to_async

from chat.live import request_body
from chat.models import Conversation, Message
from chat.testing.upstream import DEFAULT_TOKENS, Reply
from tests.gateway.test_proxies import OPENAI_QUOTA, QUOTA_SENTENCE
from tests.support.gateway_helpers import ask
from tests.support.images import image_bytes
from tests.support.litellm_proxy import MODELS
from tests.support.uploads import upload
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db(transaction=True)

# LiteLLM's first answers after a start are slow on a busy 2-core machine.
TIMEOUT = 60


async def send(communicator, **payload):
    await communicator.send_json_to({"action": "send", **payload})
    return await receive_until(communicator, "done", "error", timeout=TIMEOUT)


async def test_it_sends_two_turns_with_images_through_litellm_unchanged(
    alice, alice_client, behind_litellm, jpeg, monkeypatch
):
    upstream = behind_litellm
    sent = []
    build = request_body.build
    monkeypatch.setattr(
        request_body, "build", lambda *a, **k: sent.append(build(*a, **k)) or sent[-1]
    )
    png = image_bytes("PNG", size=(1600, 1200), color=(220, 30, 30))
    png_id = (await sync_to_async(upload)(alice_client, png, "red.png")).json()["id"]
    jpeg_id = (await sync_to_async(upload)(alice_client, jpeg, "blue.jpg")).json()["id"]
    upstream.queue(Reply(tokens=["A ", "red ", "square."]), Reply(tokens=["A ", "blue ", "one."]))
    conversation = await Conversation.objects.acreate(owner=alice, model="gpt-4o")

    communicator, connected, _ = await open_socket(conversation, alice_client)
    assert connected
    first = await send(communicator, text="What is this?", model="gpt-4o", images=[{"id": png_id}])
    second = await send(
        communicator, text="And this?", model="gpt-4o", images=[{"id": jpeg_id, "detail": "low"}]
    )
    await communicator.disconnect()

    assert first[-1]["message"]["text"] == "A red square."
    assert second[-1]["message"]["text"] == "A blue one."
    assert len(upstream.requests) == 2
    for (body, _), received in zip(sent, upstream.requests, strict=True):
        # Every message, every data URI, byte for byte as the app built it.
        assert json.dumps(received.body["messages"]) == json.dumps(body["messages"])
        headers = {name.lower(): value for name, value in received.headers.items()}
        assert headers["authorization"] == "Bearer sk-upstream-key"  # the proxy's own key
    images = [
        part["image_url"]["url"]
        for message in upstream.requests[1].body["messages"]
        if isinstance(message["content"], list)
        for part in message["content"]
        if part["type"] == "image_url"
    ]
    assert len(images) == 2 and all(url.startswith("data:image/jpeg;base64,") for url in images)


@pytest.mark.parametrize("model", MODELS)
async def test_it_answers_with_each_gateway_model_through_litellm(
    alice, alice_client, behind_litellm, model
):
    events, answer = await ask(alice, alice_client, model=model, timeout=TIMEOUT)

    assert events[-1]["type"] == "done"
    assert (answer.status, answer.text) == ("complete", "".join(DEFAULT_TOKENS))
    assert behind_litellm.requests[0].body["model"] == model


async def test_it_retries_a_cut_before_the_first_word_through_litellm(
    alice, alice_client, behind_litellm
):
    behind_litellm.queue(Reply(cut_after=0))

    events, answer = await ask(alice, alice_client, timeout=TIMEOUT)

    assert [event["type"] for event in events].count("error") == 0
    assert (answer.status, answer.text) == ("complete", "".join(DEFAULT_TOKENS))
    assert len(behind_litellm.requests) == 2


async def test_it_keeps_the_text_of_a_cut_mid_answer_through_litellm(
    alice, alice_client, behind_litellm
):
    # The pause before each word lets LiteLLM pass the first words on before it
    # reads the cut; a cut it reads first is a cut before the first word (retried).
    behind_litellm.queue(
        Reply(
            tokens=["Two ", "cats ", "on ", "a ", "sofa"], cut_after=3, seconds_between_tokens=0.3
        )
    )

    events, answer = await ask(alice, alice_client, timeout=TIMEOUT)

    sentence = "The connection to the gateway broke off before the answer was finished."
    assert (events[-1]["type"], events[-1]["error"]) == ("error", sentence)
    assert (answer.status, answer.error_code) == ("error", "interrupted")
    # LiteLLM may not pass on the last chunks it read before the cut; whatever
    # it passed on reached the page and is kept, and it is a prefix of the reply.
    streamed = "".join(e["text"] for e in events if e["type"] == "token")
    assert answer.text and "Two cats on ".startswith(answer.text)
    assert answer.text.startswith(streamed)
    assert "litellm" in answer.upstream_error  # what LiteLLM said, kept for review
    assert len(behind_litellm.requests) == 1


async def test_it_shows_our_sentence_for_a_bad_request_through_litellm(
    alice, alice_client, behind_litellm
):
    refused = json.dumps(
        {"error": {"message": "Invalid image URL in messages[1].", "type": "invalid_request_error"}}
    )
    behind_litellm.queue(Reply(status=400, body=refused))

    events, answer = await ask(alice, alice_client, timeout=TIMEOUT)

    sentence = "The gateway refused the request (400): Invalid image URL in messages[1]."
    assert (events[-1]["code"], events[-1]["error"]) == ("bad_request", sentence)
    assert "LiteLLM" not in json.dumps(events)
    assert (answer.error, answer.http_status) == (sentence, 400)
    assert "litellm.BadRequestError" in answer.upstream_error
    assert len(behind_litellm.requests) == 1


async def test_it_shows_our_sentence_for_an_exhausted_quota_through_litellm(
    alice, alice_client, behind_litellm
):
    behind_litellm.queue(*[Reply(status=429, body=OPENAI_QUOTA)] * 3)

    events, answer = await ask(alice, alice_client, timeout=TIMEOUT)

    assert (events[-1]["code"], events[-1]["error"]) == ("quota_exceeded", QUOTA_SENTENCE)
    assert (answer.status, answer.error) == ("error", QUOTA_SENTENCE)
    assert len(behind_litellm.requests) == 1  # not retried


async def test_it_closes_the_upstream_stream_through_litellm_on_stop(
    alice, alice_client, behind_litellm
):
    behind_litellm.queue(Reply(tokens=["tick "] * 400, seconds_between_tokens=0.05))
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Count", "model": "gpt-4o"})
    answer_id = (await receive_until(communicator, "answer", timeout=TIMEOUT))[-1]["message"]["id"]
    await receive_until(communicator, "token", timeout=TIMEOUT)

    await communicator.send_json_to({"action": "stop", "message": answer_id})
    rest = await receive_until(communicator, "done", "error", timeout=TIMEOUT)
    # LiteLLM must pass the close on: the upstream stops generating (and billing).
    closed = await asyncio.to_thread(behind_litellm.disconnected.wait, 10)
    await communicator.disconnect()

    assert closed, "the upstream stream behind LiteLLM stayed open after the stop"
    assert rest[-1]["message"]["status"] == "stopped"
    stored = await Message.objects.aget(pk=answer_id)
    assert stored.status == "stopped" and stored.text.startswith("tick")
