"""Message.finish: what the answer task stores when an answer ends."""

from datetime import timedelta

import pytest
from django.utils.timezone import now

from chat import gateway, markdown
from chat.models import Conversation, Message, Outcome

pytestmark = pytest.mark.django_db


def streaming_answer(owner):
    long_ago = now() - timedelta(hours=1)
    conversation = Conversation.objects.create(owner=owner, model="gpt-4o", updated=long_ago)
    return conversation.append(role="assistant", status="streaming", model="gpt-4o")


def test_it_stores_how_an_answer_ended(alice):
    answer = streaming_answer(alice)

    answer.finish(
        Outcome("error", "upstream_error", "The model failed.", 502, '{"error": "boom"}'),
        text="**Half** an",
        request_id="req-1",
        first_token_ms=120,
        total_ms=900,
        finished=gateway.Finished("length", prompt_tokens=30, completion_tokens=2),
    )

    stored = Message.objects.get(pk=answer.pk)
    assert (stored.status, stored.error_code, stored.error) == (
        "error", "upstream_error", "The model failed.",
    )  # fmt: skip
    assert (stored.http_status, stored.upstream_error) == (502, '{"error": "boom"}')
    assert (stored.text, stored.html) == ("**Half** an", markdown.render("**Half** an"))
    assert (stored.request_id, stored.first_token_ms, stored.total_ms) == ("req-1", 120, 900)
    assert (stored.finish_reason, stored.prompt_tokens, stored.completion_tokens) == (
        "length", 30, 2,
    )  # fmt: skip
    # The conversation moves to the top of its person's list.
    assert Conversation.objects.get(pk=answer.conversation_id).updated > now() - timedelta(
        minutes=1
    )


def test_it_finishes_a_stopped_answer_without_a_gateway_end(alice):
    answer = streaming_answer(alice)

    answer.finish(Outcome("stopped"), text="Cut", request_id="", first_token_ms=None, total_ms=40)

    stored = Message.objects.get(pk=answer.pk)
    assert (stored.status, stored.text, stored.html) == ("stopped", "Cut", "<p>Cut</p>\n")
    assert (stored.finish_reason, stored.prompt_tokens) == ("", None)
    assert not Message.objects.filter(status="streaming").exists()
