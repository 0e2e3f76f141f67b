"""Gemini 3's thought signatures, in each place a gateway streams them
(OpenRouter's reasoning_details, LiteLLM's thinking_blocks and
provider_specific_fields, Google's extra_content), are kept with the answer
and come back on its assistant message in the next request, as they came;
nothing comes back where nothing was sent."""

import json
import logging

import pytest
from asgiref.sync import sync_to_async

from chat import gateway
from chat.models import Conversation
from chat.testing.upstream import PROVIDER_STATE_SHAPES, Reply
from tests.studio.turns import send_turns
from tests.support.gateway_helpers import stream

MODEL = "gemini-3-pro-image-preview"

# What each shape's deltas add up to on the assistant message sent back.
EXPECTED = {
    "openrouter": {
        "reasoning_details": [
            *PROVIDER_STATE_SHAPES["openrouter"][0]["reasoning_details"],
            *PROVIDER_STATE_SHAPES["openrouter"][1]["reasoning_details"],
        ]
    },
    "litellm": PROVIDER_STATE_SHAPES["litellm"][0],
    "google": PROVIDER_STATE_SHAPES["google"][0],
}

pytestmark = pytest.mark.django_db(transaction=True)


def assistant_messages(request):
    return [m for m in request.body["messages"] if m["role"] == "assistant"]


async def test_the_client_yields_provider_state_events(upstream):
    upstream.queue(Reply(tokens=["Done."], extra_deltas=PROVIDER_STATE_SHAPES["google"]))

    events = await stream({"model": MODEL, "messages": [{"role": "user", "content": "Draw"}]})

    states = [e for e in events if isinstance(e, gateway.ProviderState)]
    assert [s.fields for s in states] == PROVIDER_STATE_SHAPES["google"]
    assert "thought" not in repr(states[0])  # never in a log line or traceback


@pytest.mark.parametrize("shape", sorted(PROVIDER_STATE_SHAPES))
async def test_it_sends_the_state_back_on_the_assistant_message(
    upstream, alice_client, alice, shape
):
    conversation = await Conversation.objects.acreate(owner=alice, model=MODEL)
    upstream.queue(
        Reply(tokens=["A ", "cat."], extra_deltas=PROVIDER_STATE_SHAPES[shape]),
        Reply(tokens=["Now blue."]),
    )

    await send_turns(conversation, alice_client, ("Draw a cat", MODEL), ("Make it blue", MODEL))

    [sent] = assistant_messages(upstream.requests[1])
    assert sent == {"role": "assistant", "content": "A cat.", **EXPECTED[shape]}
    # Byte for byte: the values serialise exactly as the gateway's did.
    for key, value in EXPECTED[shape].items():
        assert json.dumps(sent[key]) == json.dumps(value)


async def test_it_adds_nothing_when_the_answer_carried_no_state(upstream, alice_client, alice):
    conversation = await Conversation.objects.acreate(owner=alice, model=MODEL)

    _, [first, _] = await send_turns(
        conversation, alice_client, ("Draw a cat", MODEL), ("Make it blue", MODEL)
    )

    [sent] = assistant_messages(upstream.requests[1])
    assert set(sent) == {"role", "content"}
    assert first.provider_state == {}


async def test_it_sends_no_state_to_another_model_family(upstream, alice_client, alice):
    conversation = await Conversation.objects.acreate(owner=alice, model=MODEL)
    upstream.queue(Reply(tokens=["A cat."], extra_deltas=PROVIDER_STATE_SHAPES["google"]))

    await send_turns(conversation, alice_client, ("Draw a cat", MODEL), ("Describe it", "gpt-4o"))

    [sent] = assistant_messages(upstream.requests[1])
    assert set(sent) == {"role", "content"}


async def test_the_state_is_never_shown_or_logged(upstream, alice_client, alice, caplog):
    caplog.set_level(logging.DEBUG)
    conversation = await Conversation.objects.acreate(owner=alice, model=MODEL)
    upstream.queue(Reply(tokens=["A cat."], extra_deltas=PROVIDER_STATE_SHAPES["litellm"]))

    events, [answer] = await send_turns(conversation, alice_client, ("Draw a cat", MODEL))

    signature = PROVIDER_STATE_SHAPES["litellm"][0]["thinking_blocks"][0]["signature"]
    assert answer.provider_state["fields"] == EXPECTED["litellm"]
    assert signature not in json.dumps(events)
    assert signature not in caplog.text
    page = await sync_to_async(alice_client.get)(f"/c/{conversation.code}/")
    assert signature not in page.content.decode()
