"""An image model's aspect ratio and size reach the gateway as OpenRouter's
`modalities` and `image_config`, over real HTTP to the fake gateway; a gateway
that refuses them (a 400 naming the parameter) gets the request once more
without them, and the person is told once."""

import json

import pytest

from chat.gateway.optional_fields import IMAGE_SETTINGS
from chat.models import Conversation
from chat.testing.upstream import Reply
from tests.studio.turns import send_turns

IMAGE_MODEL = "gemini-3-pro-image-preview"
REFUSAL = json.dumps(
    {"error": {"message": "Unrecognized request argument supplied: image_config",
               "type": "invalid_request_error", "param": "image_config"}}
)  # fmt: skip

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def conversation(alice):
    return Conversation.objects.create(
        owner=alice, model=IMAGE_MODEL, aspect_ratio="16:9", image_size="2K"
    )


async def test_it_sends_modalities_and_image_config_for_an_image_model(
    upstream, alice_client, conversation
):
    _, [answer] = await send_turns(conversation, alice_client, ("A lighthouse", IMAGE_MODEL))

    body = upstream.requests[0].body
    assert body["modalities"] == ["image", "text"]
    assert body["image_config"] == {"aspect_ratio": "16:9", "image_size": "2K"}
    # Stored with the answer, for review and for the page.
    assert answer.image_config == {"aspect_ratio": "16:9", "image_size": "2K"}


async def test_it_sends_only_modalities_when_nothing_was_chosen(upstream, alice_client, alice):
    conversation = await Conversation.objects.acreate(owner=alice, model=IMAGE_MODEL)

    await send_turns(conversation, alice_client, ("A lighthouse", IMAGE_MODEL))

    body = upstream.requests[0].body
    assert body["modalities"] == ["image", "text"]
    assert "image_config" not in body


async def test_it_sends_neither_to_a_model_that_does_not_make_images(
    upstream, alice_client, conversation
):
    _, [answer] = await send_turns(conversation, alice_client, ("Describe it", "gpt-4o"))

    body = upstream.requests[0].body
    assert "modalities" not in body and "image_config" not in body
    assert answer.image_config == {}


async def test_it_sends_neither_when_the_operator_turned_them_off(
    upstream, alice_client, conversation, settings
):
    settings.TOKENGATE_IMAGE_CONFIG = False

    await send_turns(conversation, alice_client, ("A lighthouse", IMAGE_MODEL))

    body = upstream.requests[0].body
    assert "modalities" not in body and "image_config" not in body


async def test_a_gateway_refusing_image_config_gets_the_request_again_without_it(
    upstream, alice_client, conversation
):
    upstream.queue(
        Reply(status=400, body=REFUSAL),
        Reply(tokens=["A ", "lighthouse."]),
        Reply(tokens=["Another."]),
    )

    events, answers_ = await send_turns(
        conversation, alice_client, ("A lighthouse", IMAGE_MODEL), ("Another", IMAGE_MODEL)
    )

    first, retried, later = (request.body for request in upstream.requests)
    assert first["image_config"] == {"aspect_ratio": "16:9", "image_size": "2K"}
    assert "image_config" not in retried and "modalities" not in retried
    assert retried["messages"] == first["messages"]
    # The answer arrived, and the person is told once, on that answer.
    assert events[0][-1]["type"] == "done"
    assert answers_[0].text == "A lighthouse."
    assert events[0][-1]["message"]["notice_code"] == "image_settings_ignored"
    assert answers_[0].image_config["ignored"] is True
    # Remembered for the model: the next request leaves them out from the start.
    assert "image_config" not in later and "modalities" not in later
    assert events[1][-1]["message"]["notice_code"] == ""
    assert IMAGE_MODEL in IMAGE_SETTINGS.refused_models


async def test_a_400_about_something_else_is_an_error_and_not_retried(
    upstream, alice_client, conversation
):
    refusal = json.dumps({"error": {"message": "Invalid image data", "type": "invalid_request"}})
    upstream.queue(Reply(status=400, body=refusal))

    events, [answer] = await send_turns(conversation, alice_client, ("A lighthouse", IMAGE_MODEL))

    assert len(upstream.requests) == 1
    assert events[0][-1]["type"] == "error"
    assert answer.status == "error"
    assert IMAGE_MODEL not in IMAGE_SETTINGS.refused_models
