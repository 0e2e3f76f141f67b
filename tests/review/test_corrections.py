"""Corrected answers on the review page: written, previewed, approved, shown as
a diff, and carried by the exports and the summary."""

import json

import pytest

from chat.review import corrections
from chat.review.models import Correction, Decision, Tag
from tests.support.review import answers, make_conversation, review_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(alice):
    return make_conversation(alice, turns=1)


def correct(client, conversation, answer, text):
    return client.post(
        review_url(conversation), {"action": "correct", "message": answer.pk, "text": text}
    )


def test_it_stores_a_correction_apart_and_leaves_the_answer_unchanged(
    rita_client, rita, conversation
):
    answer = answers(conversation)[0]

    response = correct(rita_client, conversation, answer, "**Answer 1**: two cats.")

    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.text == "**Answer 1**: a cat."
    stored = Correction.objects.get(message=answer)
    assert (stored.author, stored.text, stored.status) == (
        rita,
        "**Answer 1**: two cats.",
        "proposed",
    )


def test_it_shows_the_correction_as_a_diff_with_who_and_when(rita_client, conversation):
    answer = answers(conversation)[0]
    correct(rita_client, conversation, answer, "**Answer 1**: two cats.")

    page = rita_client.get(review_url(conversation)).content.decode()

    assert "<del>a</del><ins>two</ins> <del>cat.</del><ins>cats.</ins>" in page
    assert "by rita," in page and "proposed, not approved yet" in page


def test_it_makes_the_latest_approved_correction_the_answers_correction(
    rita_client, rita, ravi, conversation
):
    answer = answers(conversation)[0]
    first = corrections.write(answer, ravi, "Two cats.")
    second = corrections.write(answer, rita, "Three cats.")
    corrections.approve(second, ravi)
    corrections.approve(first, rita)  # approved later: it wins

    assert corrections.current(answer.corrections.all()) == first
    Decision.objects.create(conversation=conversation, reviewer=rita, value="approve")
    page = rita_client.get(review_url(conversation)).content.decode()
    assert page.count("the correction</strong>") == 1
    assert "approved by rita" in page and "approved by ravi" in page


def test_it_hides_other_reviewers_corrections_until_this_one_decides(
    rita_client, ravi, conversation
):
    corrections.write(answers(conversation)[0], ravi, "Two cats.")

    page = rita_client.get(review_url(conversation)).content.decode()

    assert "1 other correction hidden until you decide" in page and "Two cats." not in page


def test_editing_an_approved_correction_asks_for_approval_again(rita, ravi, conversation):
    answer = answers(conversation)[0]
    corrections.approve(corrections.write(answer, rita, "Two cats."), ravi)

    corrections.write(answer, rita, "Two black cats.")

    stored = Correction.objects.get(message=answer)
    assert (stored.text, stored.status, stored.approved_by) == ("Two black cats.", "proposed", None)
    assert corrections.current(answer.corrections.all()) is None


def test_it_approves_from_the_page(rita_client, rita, ravi, conversation):
    correction = corrections.write(answers(conversation)[0], ravi, "Two cats.")

    rita_client.post(
        review_url(conversation), {"action": "approve_correction", "correction": correction.pk}
    )

    correction.refresh_from_db()
    assert (correction.status, correction.approved_by) == ("approved", rita)


def test_it_refuses_an_empty_correction_and_one_of_a_question(rita_client, conversation):
    question = conversation.messages.get(role="user")
    answer = answers(conversation)[0]

    empty = correct(rita_client, conversation, answer, "   ")
    of_question = correct(rita_client, conversation, question, "Better question")

    assert not Correction.objects.exists()
    page = rita_client.get(review_url(conversation)).content.decode()
    assert "A correction needs some text." in page and "Only an answer can be corrected." in page
    assert empty.status_code == of_question.status_code == 302


def test_the_preview_goes_through_the_answers_sanitizer(rita_client):
    response = rita_client.post(
        "/admin/chat/conversation/corrections/preview/",
        {"text": "**two** <script>alert(1)</script> [x](javascript:alert(1))"},
    )

    html = response.json()["html"]
    assert "<strong>two</strong>" in html
    assert "<script" not in html and "&lt;script&gt;" in html
    assert 'href="javascript' not in html


def test_the_preview_is_for_reviewers_only(alice_client):
    response = alice_client.post("/admin/chat/conversation/corrections/preview/", {"text": "x"})

    assert response.status_code == 302  # to the admin's login


def test_the_exports_carry_every_correction_and_the_approved_one(
    rita_client, rita, ravi, conversation
):
    answer = answers(conversation)[0]
    corrections.approve(corrections.write(answer, ravi, "Two cats."), rita)
    corrections.write(answer, rita, "Three cats.")
    # Blind until decided: rita's export shows ravi's correction once she decided.
    Decision.objects.create(conversation=conversation, reviewer=rita, value="approve")

    jsonl = b"".join(
        rita_client.get(
            f"/admin/chat/conversation/{conversation.pk}/export/jsonl/"
        ).streaming_content
    )
    html = rita_client.get(f"/admin/chat/conversation/{conversation.pk}/export/html/").content

    exported = next(m for m in json.loads(jsonl)["messages"] if m["id"] == answer.pk)
    assert exported["correction"] == "Two cats."
    assert [(c["author"], c["status"]) for c in exported["corrections"]] == [
        ("ravi", "approved"), ("rita", "proposed"),
    ]  # fmt: skip
    assert b"Correction</strong> by ravi" in html and b"Two cats." in html


def test_the_summary_counts_corrections_per_model_and_per_tag(rita_client, rita, alice):
    tagged = make_conversation(alice, turns=2)
    other = make_conversation(alice, turns=1)
    tagged.tag_links.create(tag=Tag.objects.get(name="ocr-error"))
    for answer in answers(tagged) + answers(other):
        corrections.write(answer, rita, "Better.")

    page = rita_client.get("/admin/chat/conversation/summary/").content.decode()

    assert "Corrections by model" in page
    by_model = page.split("review-corrections-by-model")[1].split("</table>")[0]
    by_tag = page.split("review-corrections-by-tag")[1].split("</table>")[0]
    assert '<td>gpt-4o</td><td class="num">3</td>' in by_model
    assert '<td>ocr-error</td><td class="num">2</td>' in by_tag
