"""The review page: the transcript as its user saw it, and reviewing on it."""

import re
from html.parser import HTMLParser

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chat.models import Message
from chat.review import corrections
from chat.review.models import (
    Activity,
    ConversationTag,
    Decision,
    MessageTag,
    Review,
    Score,
    ScoreDimension,
    Tag,
    Verdict,
)
from tests.support.review import (
    answers,
    attach_image,
    make_branching_conversation,
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


def test_it_says_an_answers_notice_in_the_reviewers_language(rita_client, conversation):
    answer = answers(conversation)[0]
    answer.image_config = {"aspect_ratio": "16:9", "ignored": True}
    answer.save()

    page = rita_client.get(review_url(conversation), headers={"Accept-Language": "zh-CN"})

    assert "这个网关不支持图片设置（宽高比、尺寸）" in page.content.decode()


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


def article(page, message):
    return page.split(f'id="message-{message.pk}"')[1].split("</article>")[0]


class VersionGroups(HTMLParser):
    """The message ids in each group of versions shown side by side."""

    def __init__(self, page):
        super().__init__()
        self.groups, self.depth = [], None  # depth of <div>s inside the open group
        self.feed(page)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.depth is not None and tag == "div":
            self.depth += 1
        elif tag == "div" and "review-versions" in (attrs.get("class") or "").split():
            self.groups.append(set())
            self.depth = 0
        elif self.depth is not None and tag == "article":
            self.groups[-1].add(int(attrs["data-message"]))

    def handle_endtag(self, tag):
        if self.depth is not None and tag == "div":
            self.depth = None if self.depth == 0 else self.depth - 1


def side_by_side(page, *messages):
    """True when the messages, and no other, are versions in one group of the page."""
    return {m.pk for m in messages} in VersionGroups(page).groups


def test_it_shows_every_version_of_prompts_and_answers_side_by_side(rita_client, alice):
    conversation, said = make_branching_conversation(alice)

    page = rita_client.get(review_url(conversation)).content.decode()

    # The edit next to the prompt it replaced; the regenerated answer next to the first.
    assert len(VersionGroups(page).groups) == 2
    assert side_by_side(page, said["How many cats?"], said["How many dogs?"])
    assert side_by_side(page, said["Two cats."], said["Three cats."])
    assert "version 1 of 2" in article(page, said["How many cats?"])
    assert "version 2 of 2" in article(page, said["How many dogs?"])
    # Where the user ended: on the first prompt and the second answer.
    for on_path in ("How many cats?", "Three cats.", "What colour?", "Black."):
        assert "not the version the user has open" not in article(page, said[on_path])
    assert "on the user's path" in article(page, said["How many cats?"])
    assert "on the user's path" in article(page, said["Three cats."])
    for off_path in ("How many dogs?", "Two cats.", "One dog."):
        assert "not the version the user has open" in article(page, said[off_path])


def test_it_keeps_what_followed_a_version_the_user_left(rita_client, alice):
    conversation, said = make_branching_conversation(alice)

    page = rita_client.get(review_url(conversation)).content.decode()

    dogs = said["How many dogs?"]
    assert f'href="#branch-{dogs.pk}">what followed it: 1 message' in article(page, dogs)
    branch = page.split(f'id="branch-{dogs.pk}"')[1]
    assert "version 2 of 2 of the user message" in branch.split("</h2>")[0]
    assert f'id="message-{said["One dog."].pk}"' in branch
    # Every message once: none lost, none twice.
    for message in conversation.messages.all():
        assert page.count(f'id="message-{message.pk}"') == 1, message.text


def test_it_chains_messages_stored_without_the_tree_in_order(rita_client, alice):
    conversation = make_conversation(alice, turns=2)
    conversation.messages.update(parent=None)  # as imports and old fixtures store them

    page = rita_client.get(review_url(conversation)).content.decode()

    assert "review-versions several" not in page
    page = re.sub(r"<textarea.*?</textarea>", "", page, flags=re.S)  # corrections start from it
    texts = re.findall(r"Question \d|Answer \d", page)
    assert texts == ["Question 1", "Answer 1", "Question 2", "Answer 2"]


def test_it_opens_a_review_page_in_a_fixed_number_of_queries(rita_client, alice, rita, ravi):
    tag = Tag.objects.get(name="ocr-error")  # made by the data migration
    accuracy = ScoreDimension.objects.create(name="Accuracy", kind="yes_no")

    def reviewed_conversation(messages):
        """`messages` messages: turns, plus a regenerated answer and an edited
        prompt with two answers (versions and a branch), every kind of record
        the page shows on them."""
        conversation = make_conversation(alice, turns=(messages - 4) // 2)
        first_prompt = conversation.messages.first()
        Message.objects.create(
            conversation=conversation, role="assistant", text="Again", parent=first_prompt
        )
        edit = Message.objects.create(conversation=conversation, role="user", text="Edited")
        for text in ("To the edit", "To the edit, again"):
            Message.objects.create(
                conversation=conversation, role="assistant", text=text, parent=edit
            )
        for n, message in enumerate(conversation.messages.all()):
            if n % 5 == 0:
                attach_image(message, color=(message.pk % 250, 1, 1))
            MessageTag.objects.create(message=message, tag=tag, added_by=rita)
        for answer in answers(conversation):
            thumb(answer, "down")
            Verdict.objects.create(message=answer, reviewer=ravi, value="bad", reason="no")
            corrections.approve(corrections.write(answer, ravi, "Better."), rita)
            Score.objects.create(message=answer, dimension=accuracy, reviewer=ravi, value="3")
        Decision.objects.create(conversation=conversation, reviewer=ravi, value="flag")
        assert conversation.messages.count() == messages
        return conversation

    def count(conversation):
        with CaptureQueriesContext(connection) as queries:
            response = rita_client.get(review_url(conversation))
        assert response.status_code == 200 and b"review-versions several" in response.content
        return len(queries)

    small = reviewed_conversation(10)
    for _ in range(9):
        make_conversation(alice, turns=2)
    ten = count(small)
    big = reviewed_conversation(100)
    for _ in range(89):
        make_conversation(alice, turns=2)

    # 10 messages among 10 conversations, 100 among 100: the same queries.
    assert count(big) == ten
