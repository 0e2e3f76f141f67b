"""Every dataset reads the selection in the same number of queries whatever its
size: one query per kind of record, read through cursors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chat.models import Conversation
from chat.review import corrections
from chat.review.models import MessageTag, Review, Score, ScoreDimension, Tag, Verdict
from tests.support.datasets import body, make_dataset
from tests.support.review import answers, attach_image, make_conversation, thumb

pytestmark = pytest.mark.django_db

KINDS = ["sft", "preferences", "eval", "imagefolder"]


def reviewed(owner, reviewer, n):
    """A conversation with every kind of record a dataset reads."""
    conversation = make_conversation(owner, turns=2, title=f"Conversation {n}")
    Review.objects.create(conversation=conversation, state="approved")
    first, second = answers(conversation)
    thumb(first, "up")
    Verdict.objects.create(message=second, reviewer=reviewer, value="good")
    corrections.approve(corrections.write(first, reviewer, "Better."), reviewer)
    MessageTag.objects.create(message=second, tag=Tag.objects.get(name="ocr-error"))
    dimension = ScoreDimension.objects.get_or_create(name="Accuracy", kind="yes_no")[0]
    Score.objects.create(message=second, dimension=dimension, reviewer=reviewer, value="yes")
    conversation.tag_links.create(tag=Tag.objects.get(name="unsafe"))
    return conversation


def test_each_dataset_takes_the_same_queries_for_10_and_1000_conversations(
    rita_client, alice, rita
):
    made = [reviewed(alice, rita, n) for n in range(10)]
    for conversation in made:
        attach_image(conversation.messages.filter(role="user").first())

    def count(kind):
        with CaptureQueriesContext(connection) as queries:
            data = body(make_dataset(rita_client, select_all=True, kind=kind, every_answer="on"))
        assert data
        return len(queries)

    ten = {kind: count(kind) for kind in KINDS}
    made += [reviewed(alice, rita, n) for n in range(10, 1000)]
    assert Conversation.objects.count() == 1000

    assert {kind: count(kind) for kind in KINDS} == ten
