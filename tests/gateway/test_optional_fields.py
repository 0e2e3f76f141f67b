"""A gateway that refuses an optional field (a 400 naming it) gets the request
once more without it, over real HTTP to the fake gateway; the model is then
asked without it from the start, and only the image settings say so."""

import json

import pytest

from chat import gateway
from chat.gateway import optional_fields
from chat.gateway.optional_fields import IMAGE_SETTINGS, RESPONSE_FORMAT, FieldsDropped
from chat.testing.upstream import DEFAULT_TOKENS, Reply
from tests.support.gateway_helpers import BODY, text_of

SCHEMA = {"type": "json_schema", "json_schema": {"name": "fields", "schema": {"type": "object"}}}
EXTRACTION = {**BODY, "response_format": SCHEMA}
IMAGE = {
    "model": "gemini-3-pro-image-preview",
    "messages": BODY["messages"],
    "modalities": ["image", "text"],
    "image_config": {"aspect_ratio": "16:9"},
}


def refusal(message, param=None):
    error = {"message": message, "type": "invalid_request_error", "param": param}
    return Reply(status=400, body=json.dumps({"error": error}))


async def stream(body, *refusable, into=None):
    events = [] if into is None else into
    async for event in optional_fields.stream_chat(body=body, refusable=refusable):
        events.append(event)
    return events


async def test_it_asks_again_without_response_format_when_a_400_names_it(upstream):
    upstream.queue(refusal("Unknown parameter: 'response_format'.", "response_format"))

    events = await stream(EXTRACTION, RESPONSE_FORMAT)

    first, retried = (request.body for request in upstream.requests)
    assert first["response_format"] == SCHEMA
    assert "response_format" not in retried and retried["messages"] == first["messages"]
    assert text_of(events) == "".join(DEFAULT_TOKENS)
    # Nothing to tell: the extraction's instruction went in both requests.
    assert not any(isinstance(event, FieldsDropped) for event in events)


async def test_it_remembers_the_model_and_leaves_the_field_out_from_the_start(upstream):
    upstream.queue(refusal("response_format json_schema is not supported"), Reply(), Reply())

    await stream(EXTRACTION, RESPONSE_FORMAT)
    await stream(EXTRACTION, RESPONSE_FORMAT)
    # Another model's gateway is still asked with it.
    await stream({**EXTRACTION, "model": "gemini-2.5-pro"}, RESPONSE_FORMAT)

    _, retried, later, other = (request.body for request in upstream.requests)
    assert "response_format" not in later
    assert other["response_format"] == SCHEMA
    assert RESPONSE_FORMAT.refused_models == {"gpt-4o"}


async def test_image_settings_refused_are_both_left_out_and_said(upstream):
    upstream.queue(refusal("Unrecognized request argument supplied: image_config"))

    events = await stream(IMAGE, IMAGE_SETTINGS)

    first, retried = (request.body for request in upstream.requests)
    assert first["image_config"] == {"aspect_ratio": "16:9"}
    assert "image_config" not in retried and "modalities" not in retried
    # Said before the answer's first event, once.
    assert events[0] == FieldsDropped(IMAGE["model"], ("modalities", "image_config"))
    assert [e for e in events if isinstance(e, FieldsDropped)] == events[:1]
    assert text_of(events) == "".join(DEFAULT_TOKENS)


async def test_a_400_about_something_else_is_raised_and_not_retried(upstream):
    upstream.queue(refusal("Invalid image data"))

    with pytest.raises(gateway.GatewayError) as raised:
        await stream(EXTRACTION, RESPONSE_FORMAT)

    assert raised.value.status == 400
    assert len(upstream.requests) == 1
    assert RESPONSE_FORMAT.refused_models == set()


async def test_a_refusal_naming_a_field_the_request_did_not_carry_is_raised(upstream):
    upstream.queue(refusal("Unknown parameter: 'response_format'."))

    with pytest.raises(gateway.GatewayError):
        await stream(BODY, RESPONSE_FORMAT)

    assert len(upstream.requests) == 1
    assert RESPONSE_FORMAT.refused_models == set()


async def test_a_gateway_refusing_both_is_asked_without_each_in_turn(upstream):
    upstream.queue(
        refusal("Unknown parameter: 'response_format'."),
        refusal("Unrecognized request argument supplied: modalities"),
    )

    events = await stream({**IMAGE, "response_format": SCHEMA}, RESPONSE_FORMAT, IMAGE_SETTINGS)

    first, without_format, without_both = (request.body for request in upstream.requests)
    assert "response_format" in first and "modalities" in first
    assert "response_format" not in without_format and "modalities" in without_format
    assert "response_format" not in without_both and "modalities" not in without_both
    assert isinstance(events[0], FieldsDropped)
    assert text_of(events) == "".join(DEFAULT_TOKENS)
