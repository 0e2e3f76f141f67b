"""A process's heartbeats: every streaming answer's text so far and its
heartbeat, stored in one statement a second however many answers stream."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now

from chat.live import heartbeats
from chat.models import Conversation, Message

pytestmark = pytest.mark.django_db

LONG_AGO = now() - timedelta(minutes=5)


def streaming_answer(owner, text=""):
    conversation = Conversation.objects.create(owner=owner)
    return Message.objects.create(
        conversation=conversation, role="assistant", status="streaming", text=text,
        created=LONG_AGO, heartbeat=LONG_AGO,
    )  # fmt: skip


def test_it_stores_every_answers_text_and_heartbeat_in_one_statement(alice):
    answers = [streaming_answer(alice) for _ in range(3)]
    other = streaming_answer(alice, text="another process's answer")
    # Each its own text: a mix-up between answers would show here. The last one
    # has a quote and a newline, which must arrive as they are.
    texts = [(answer.pk, f"Answer {n}: so far") for n, answer in enumerate(answers)]
    texts[-1] = (answers[-1].pk, "It's a\n'quoted' line")

    with CaptureQueriesContext(connection) as queries:
        heartbeats._save(texts)

    # One round trip to the database however many answers stream (no BEGIN and
    # COMMIT around one UPDATE per answer).
    assert len(queries) == 1, [query["sql"] for query in queries]
    for (_, text), answer in zip(texts, answers, strict=True):
        answer.refresh_from_db()
        assert answer.text == text
        assert answer.heartbeat > LONG_AGO
        assert answer.status == "streaming"
    other.refresh_from_db()
    assert other.text == "another process's answer" and other.heartbeat == LONG_AGO


def test_it_stores_a_batch_at_a_time_past_the_batch_size(alice, monkeypatch):
    monkeypatch.setattr(heartbeats, "SAVE_BATCH", 2)
    answers = [streaming_answer(alice) for _ in range(5)]

    with CaptureQueriesContext(connection) as queries:
        heartbeats._save([(answer.pk, f"text {answer.pk}") for answer in answers])

    assert len(queries) == 3
    for answer in answers:
        answer.refresh_from_db()
        assert answer.text == f"text {answer.pk}" and answer.heartbeat > LONG_AGO
