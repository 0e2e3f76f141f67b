"""Arbitrary frames at the consumer (hypothesis): JSON of any shape, actions
with fields of any type, text that is not JSON, binary frames. Each gets a
refusal event or the documented close code, never a traceback; the server logs
no error; a refused frame writes nothing.

More examples: pytest tests/live/test_fuzz_consumer.py --hypothesis-profile=long
"""

import json
import logging

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chat.models import Conversation, ImageAttachment, Message
from tests.support.websocket import open_socket

pytestmark = pytest.mark.django_db(transaction=True)

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=10,
)
image_refs = st.lists(
    st.fixed_dictionaries(
        {"id": st.uuids().map(str) | json_values},
        optional={"detail": st.sampled_from(["low", "high", "auto"]) | json_values},
    ),
    max_size=3,
)
actions = st.fixed_dictionaries(
    {"action": st.sampled_from(["send", "stop", "sync"]) | json_values},
    optional={
        "text": st.text(max_size=200) | json_values,
        "model": st.sampled_from(["gpt-4o", "no-such-model"]) | json_values,
        "images": image_refs | json_values,
        "message": json_values,
    },
)
frames = st.one_of(
    actions.map(lambda a: {"text": json.dumps(a)}),
    json_values.map(lambda v: {"text": json.dumps(v)}),
    st.text(min_size=1).map(lambda t: {"text": t}),
    st.binary(min_size=1).map(lambda b: {"bytes": b}),
    st.integers(300_000, 400_000).map(lambda n: {"text": "x" * n}),  # over the frame limit
)


@pytest.fixture
def errors(caplog):
    caplog.set_level(logging.ERROR)
    return caplog


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(frame=frames)
async def test_it_answers_any_frame_with_a_refusal_or_a_documented_close(
    alice, alice_client, errors, frame
):
    conversation = await Conversation.objects.acreate(owner=alice)
    messages, images = await Message.objects.acount(), await ImageAttachment.objects.acount()
    communicator, connected, _ = await open_socket(conversation, alice_client)
    assert connected

    await communicator.send_input({"type": "websocket.receive", **frame})
    outputs = []
    while not await communicator.receive_nothing(timeout=0.05):
        outputs.append(await communicator.receive_output())
        if outputs[-1]["type"] == "websocket.close":
            break
    await communicator.disconnect()

    events = [json.loads(o["text"]) for o in outputs if o["type"] == "websocket.send"]
    closes = [o["code"] for o in outputs if o["type"] == "websocket.close"]
    assert closes in ([], [1009])
    if closes:
        assert len(frame.get("text", "")) > 256 * 1024
    stored = events and events[0]["type"] == "message"  # a valid send: the turn was stored
    if not stored:
        # A refusal (or a stop/sync with nothing to do) wrote nothing.
        assert all(e["type"] == "error" and "message" not in e for e in events), events
        assert all(isinstance(e["error"], str) and e["error"].endswith(".") for e in events)
        assert await Message.objects.acount() == messages
        assert await ImageAttachment.objects.acount() == images
    assert [r.getMessage() for r in errors.records] == []
