"""The gateway is configured by the environment; its key stays on the server."""

import pytest

from chat.models import Conversation
from chat.testing.upstream import Reply
from tests.support.gateway_helpers import ask
from tests.support.websocket import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_never_puts_the_key_in_a_page(alice, alice_client, settings):
    settings.TOKENGATE_API_KEY = "sk-live-do-not-leak"
    conversation = Conversation.objects.create(owner=alice)

    page = alice_client.get(f"/c/{conversation.code}/").content.decode()

    assert "sk-live-do-not-leak" not in page


async def test_it_offers_and_calls_the_operators_own_models(
    alice, alice_client, upstream, settings
):
    # E.g. Ollama or vLLM behind TOKENGATE_BASE_URL, with their own model names.
    settings.TOKENGATE_MODELS = ["llava:13b", "qwen2.5-vl"]
    upstream.queue(Reply(tokens=["Local ", "answer."]))

    events, answer = await ask(alice, alice_client, model="qwen2.5-vl")

    assert events[-1]["type"] == "done"
    assert upstream.requests[0].body["model"] == "qwen2.5-vl"
    assert (answer.model, answer.text) == ("qwen2.5-vl", "Local answer.")


async def test_it_refuses_a_model_not_in_the_list(alice, alice_client, upstream, settings):
    settings.TOKENGATE_MODELS = ["llava:13b"]
    conversation = await Conversation.objects.acreate(owner=alice)

    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Hi", "model": "gpt-4o"})
    refusal = await communicator.receive_json_from()
    await communicator.disconnect()

    assert refusal == {
        "type": "error",
        "code": "unknown_model",
        "error": "“gpt-4o” is not an available model.",
    }
    assert upstream.requests == []
