"""The review page: the transcript as its user saw it, and reviewing on it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chat.models import Message
from chat.review.models import Activity, ConversationTag, MessageTag, Review, Tag, Verdict
from tests.review import (
    answers,
    attach_image,
    make_conversation,
    review_url,
    thumb,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(alice):
    return make_conversation(alice, turns=2)


def test_it_shows_every_detail_of_an_answer(rita_client, conversation):
    answer = answers(conversation)[0]
    answer.status, answer.error_code = Message.Status.ERROR, "rate_limited"
    answer.error, answer.http_status = "The gateway is busy; try again in a minute.", 429
    answer.dropped_turns, answer.dropped_images = 2, 1
    answer.save()

    page = rita_client.get(review_url(conversation)).content.decode()

    assert "The gateway is busy; try again in a minute." in page and "rate_limited" in page
    assert "tokens 100 in + 20 out" in page and "first token 300 ms" in page
    assert "total 900 ms" in page and "gpt-4o" in page and "finish: stop" in page
    assert "2 earlier turns (history budget), 1 earlier image (image history)" in page


def test_it_sanitises_the_answers_markdown(rita_client, conversation):
    answer = answers(conversation)[0]
    answer.text = "<script>alert(1)</script> [x](javascript:alert(1))"
    answer.save()

    page = rita_client.get(review_url(conversation)).content.decode()

    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    assert 'href="javascript' not in page


def test_it_shows_thumbnails_lazily_with_their_facts(rita_client, conversation):
    image = attach_image(conversation.messages.first(), name="receipt.png")
    generated = attach_image(answers(conversation)[0], color=(1, 2, 3), name="drawn.png")

    page = rita_client.get(review_url(conversation)).content.decode()

    assert f'src="/images/{image.code}/thumbnail/" loading="lazy"' in page
    assert f'href="/images/{image.code}/original/"' in page
    assert "PNG · 64×48 px" in page and "detail auto · ≈85 tokens" in page
    # The answer's own image sits on the assistant's side, marked as generated.
    answer_html = page.split(f'id="message-{generated.message_id}"')[1].split("</article>")[0]
    assert f"/images/{generated.code}/thumbnail/" in answer_html and "generated" in answer_html


def test_it_shows_the_users_thumbs_apart_from_verdicts(rita_client, conversation, rita):
    answer = answers(conversation)[0]
    thumb(answer, "down", "It missed the second cat")

    rita_client.post(
        review_url(conversation),
        {"action": "verdict", "message": answer.pk, "value": "good", "reason": "fine"},
    )
    page = rita_client.get(review_url(conversation)).content.decode()

    assert "▼ thumbs down</span>: “It missed the second cat”" in page
    assert Verdict.objects.get(message=answer, reviewer=rita).value == "good"
    assert "Yours: good" in page


def test_it_keeps_the_state_and_note_with_who_and_when(rita_client, conversation, rita):
    rita_client.post(
        review_url(conversation), {"action": "state", "state": "flagged", "note": "check OCR"}
    )

    review = Review.objects.get(conversation=conversation)
    assert (review.state, review.note, review.updated_by) == ("flagged", "check OCR", rita)
    assert list(Activity.objects.values_list("action", "value")) == [
        ("note", "check OCR"), ("state", "flagged"),
    ]  # fmt: skip


def test_it_tags_the_conversation_and_single_messages(rita_client, conversation, rita):
    answer = answers(conversation)[1]

    rita_client.post(review_url(conversation), {"action": "tag", "name": "ocr-error"})
    rita_client.post(
        review_url(conversation), {"action": "tag", "name": "new-tag", "message": answer.pk}
    )
    response = rita_client.post(review_url(conversation), {"action": "tag", "name": "Bad Tag!"})

    assert ConversationTag.objects.get().tag.name == "ocr-error"
    link = MessageTag.objects.get()
    assert (link.message, link.tag.name, link.added_by) == (answer, "new-tag", rita)
    assert Tag.objects.filter(name="new-tag").exists()  # joins the editable set
    assert not Tag.objects.filter(name__icontains="bad").exists()
    assert response.status_code == 302

    rita_client.post(review_url(conversation), {"action": "untag", "name": "ocr-error"})
    assert not ConversationTag.objects.exists()


def test_it_lists_the_keyboard_shortcuts(rita_client, conversation):
    page = rita_client.get(review_url(conversation)).content.decode()

    assert "<kbd>a</kbd></dt><dd>approve (my decision)" in page
    assert 'data-shortcut="f"' in page and "review/review.js" in page


def test_it_groups_several_answers_to_one_message_side_by_side(rita_client, alice):
    conversation = make_conversation(alice, turns=1)
    prompt = conversation.messages.get(role="user")
    Message.objects.create(
        conversation=conversation, role="assistant", text="A second version", model="gpt-4o",
        parent=prompt,
    )  # fmt: skip

    page = rita_client.get(review_url(conversation)).content.decode()

    assert 'class="review-versions several"' in page
    assert "version 2" in page


def test_it_opens_a_review_page_in_a_fixed_number_of_queries(rita_client, alice):
    small = make_conversation(alice, turns=1)
    big = make_conversation(alice, turns=50)
    for message in big.messages.all()[:20]:
        attach_image(message, color=(message.pk % 250, 1, 1))
    for answer in answers(big)[:10]:
        thumb(answer, "down")

    def count(conversation):
        with CaptureQueriesContext(connection) as queries:
            assert rita_client.get(review_url(conversation)).status_code == 200
        return len(queries)

    assert count(big) == count(small)
