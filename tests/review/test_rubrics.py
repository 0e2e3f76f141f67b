"""Rubrics: dimensions defined in the admin, scores beside the verdict, the
summary per dimension, required scores, and holding a conversation open while
its reviewers disagree."""

import pytest

from chat.review import queue, reviewing
from chat.review.models import QueueItem, Score, ScoreDimension, Tag
from tests.support.review import answers, make_conversation, review_url

pytestmark = pytest.mark.django_db

SCALE = {str(n): f"level {n}" for n in range(1, 6)}


@pytest.fixture
def accuracy():
    return ScoreDimension.objects.create(name="Accuracy", kind="scale", values=SCALE)


@pytest.fixture
def legible():
    return ScoreDimension.objects.create(name="Read the text", kind="yes_no")


def score(client, conversation, answer, **values):
    data = {"action": "score", "message": answer.pk}
    data.update({f"score-{pk}": v for pk, v in values.items()})
    return client.post(review_url(conversation), data)


def test_an_operator_defines_a_scale_with_a_description_per_value(admin_client):
    described = {f"scale_{n}": f"means {n}" for n in range(1, 6)}
    data = {"name": "Helpfulness", "kind": "scale", "position": 0, "for_models": "gpt-4o",
            **described}  # fmt: skip

    response = admin_client.post("/admin/review/scoredimension/add/", data)

    assert response.status_code == 302
    made = ScoreDimension.objects.get(name="Helpfulness")
    assert made.values == {str(n): f"means {n}" for n in range(1, 6)}
    assert made.model_names() == {"gpt-4o"}


def test_a_scale_without_every_description_is_refused_with_a_sentence(admin_client):
    data = {"name": "Helpfulness", "kind": "scale", "position": 0, "scale_1": "bad"}

    page = admin_client.post("/admin/review/scoredimension/add/", data).content.decode()

    assert "A scale needs a description of every value: 2, 3, 4, 5 have none." in page


def test_categories_are_listed_one_per_line(admin_client):
    data = {"name": "Error kind", "kind": "categories", "position": 0,
            "categories": "ocr: misread text\nhallucination: not in the image\n"}  # fmt: skip

    admin_client.post("/admin/review/scoredimension/add/", data)

    assert ScoreDimension.objects.get(name="Error kind").choices() == [
        ("ocr", "misread text"), ("hallucination", "not in the image"),
    ]  # fmt: skip


def test_a_reviewer_scores_an_answer_beside_the_verdict(
    rita_client, rita, alice, accuracy, legible
):
    conversation = make_conversation(alice, turns=1)
    answer = answers(conversation)[0]

    page = rita_client.get(review_url(conversation)).content.decode()
    score(rita_client, conversation, answer, **{str(accuracy.pk): "4", str(legible.pk): "yes"})

    assert 'title="level 3"' in page and "Read the text" in page
    assert sorted(Score.objects.values_list("dimension__name", "value", "reviewer__username")) == [
        ("Accuracy", "4", "rita"), ("Read the text", "yes", "rita"),
    ]  # fmt: skip
    again = rita_client.get(review_url(conversation)).content.decode()
    assert f'name="score-{accuracy.pk}" value="4" checked' in again


def test_a_value_the_dimension_does_not_offer_is_refused(rita_client, alice, accuracy):
    conversation = make_conversation(alice, turns=1)

    score(rita_client, conversation, answers(conversation)[0], **{str(accuracy.pk): "9"})

    assert not Score.objects.exists()
    page = rita_client.get(review_url(conversation)).content.decode()
    assert "“9” is not a value of Accuracy." in page


def test_a_dimension_applies_to_its_models_and_tags_only(rita_client, alice):
    ocr = Tag.objects.get(name="ocr-error")
    dimension = ScoreDimension.objects.create(
        name="OCR quality", kind="yes_no", for_models="gpt-4o\nother-model"
    )
    dimension.for_tags.add(ocr)
    tagged = make_conversation(alice, turns=1)
    tagged.tag_links.create(tag=ocr)
    untagged = make_conversation(alice, turns=1)

    assert "OCR quality" in rita_client.get(review_url(tagged)).content.decode()
    assert "OCR quality" not in rita_client.get(review_url(untagged)).content.decode()


def test_a_required_dimension_is_scored_before_a_decision(rita_client, rita, alice, accuracy):
    accuracy.required = True
    accuracy.save()
    conversation = make_conversation(alice, turns=1)
    answer = answers(conversation)[0]

    rita_client.post(review_url(conversation), {"action": "decide", "value": "approve"})
    refused = rita_client.get(review_url(conversation)).content.decode()
    score(rita_client, conversation, answer, **{str(accuracy.pk): "5"})
    rita_client.post(review_url(conversation), {"action": "decide", "value": "approve"})

    assert "Score “Accuracy” on the answer of" in refused and "it is required" in refused
    assert conversation.decisions.get().reviewer == rita


def test_the_summary_shows_each_dimension_per_model_with_its_agreement(
    rita_client, rita, ravi, alice, accuracy
):
    conversation = make_conversation(alice, turns=3)
    for answer, (mine, theirs) in zip(answers(conversation), [(1, 1), (2, 3), (3, 3)], strict=True):
        Score.objects.create(message=answer, dimension=accuracy, reviewer=rita, value=str(mine))
        Score.objects.create(message=answer, dimension=accuracy, reviewer=ravi, value=str(theirs))

    page = rita_client.get("/admin/chat/conversation/summary/").content.decode()

    assert "Accuracy: mean score per model" in page
    assert '<td>gpt-4o</td><td class="num">6</td><td>mean 2.17</td>' in page
    assert "Krippendorff&#x27;s α (ordinal) = 0.78 over 3 answers (3 pairs)" in page


def test_a_conversation_is_held_open_while_its_reviewers_disagree(settings, rita, ravi, alice):
    settings.REVIEW_REQUIRED_REVIEWS = 2
    settings.REVIEW_HOLD_BELOW_AGREEMENT = 60
    conversation = make_conversation(alice, turns=1)
    queue.add(conversation.pk, QueueItem.Reason.BULK)

    reviewing.decide(conversation, rita, value="approve")
    reviewing.decide(conversation, ravi, value="flag")

    item = QueueItem.objects.get(conversation=conversation)
    assert (item.reviews_needed, item.done) == (3, None)
    assert conversation.review_activity.filter(action="held open").exists()


def test_agreeing_reviewers_close_the_item_as_before(settings, rita, ravi, alice):
    settings.REVIEW_REQUIRED_REVIEWS = 2
    settings.REVIEW_HOLD_BELOW_AGREEMENT = 60
    conversation = make_conversation(alice, turns=1)
    queue.add(conversation.pk, QueueItem.Reason.BULK)

    reviewing.decide(conversation, rita, value="approve")
    reviewing.decide(conversation, ravi, value="approve")

    item = QueueItem.objects.get(conversation=conversation)
    assert item.reviews_needed == 2 and item.done is not None
