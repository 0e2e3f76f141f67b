"""The review workstation's own sentences for a reviewer who reads Chinese:
the list's bulk actions and what they report, a refused score, the score
dimensions' help."""

import pytest

from chat.review.models import Review, ScoreDimension
from tests.support.review import answers, make_conversation, review_url

pytestmark = pytest.mark.django_db

CHINESE = {"Accept-Language": "zh-CN"}
LIST = "/admin/chat/conversation/"


def test_a_bulk_action_and_its_report_are_in_chinese(rita_client, alice):
    conversation = make_conversation(alice)

    listing = rita_client.get(LIST, headers=CHINESE).content.decode()
    response = rita_client.post(
        LIST, {"action": "approve", "_selected_action": [conversation.pk]},
        headers=CHINESE, follow=True,
    )  # fmt: skip

    assert "通过选中的对话" in listing and "用选中的对话制作数据集…" in listing
    assert "已通过 1 个对话。" in response.content.decode()
    assert Review.objects.get(conversation=conversation).state == "approved"


def test_a_refused_score_is_said_in_chinese(rita_client, alice):
    accuracy = ScoreDimension.objects.create(
        name="Accuracy", kind="scale", values={str(n): f"{n}" for n in range(1, 6)}
    )
    conversation = make_conversation(alice, turns=1)
    answer = answers(conversation)[0]

    rita_client.post(
        review_url(conversation),
        {"action": "score", "message": answer.pk, f"score-{accuracy.pk}": "9"}, headers=CHINESE,
    )  # fmt: skip
    page = rita_client.get(review_url(conversation), headers=CHINESE).content.decode()

    assert "“9”不是Accuracy的可选值。" in page


def test_a_rubric_with_one_category_is_refused_in_chinese():
    from django.utils import translation

    from chat.review.rubric_forms import ScoreDimensionForm

    form = ScoreDimensionForm(
        {"name": "Tone", "kind": "categories", "categories": "polite: fine", "position": 0}
    )
    with translation.override("zh-hans"):
        errors = form.non_field_errors()

    assert errors == ["类别至少要有两个，每行一个。"]
