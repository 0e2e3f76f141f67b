"""The conversation list: columns, filters, search, sorting, bulk actions."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import now

from chat.models import Message
from chat.review.models import ConversationTag, QueueItem, Review, Tag
from tests.support.review import answers, attach_image, make_conversation, thumb

pytestmark = pytest.mark.django_db
LIST = "/admin/chat/conversation/"


def shown(response):
    return [c.title for c in response.context["cl"].result_list]


def test_it_shows_the_figures_of_each_conversation(rita_client, alice):
    conversation = make_conversation(alice, title="Receipts", turns=3)
    attach_image(conversation.messages.first())
    first, second, _ = answers(conversation)
    first.status = Message.Status.ERROR
    first.save()
    thumb(first, "down")
    thumb(second, "up")

    response = rita_client.get(LIST)
    (row,) = response.context["cl"].result_list

    assert (row.message_count, row.image_count, row.total_tokens) == (6, 1, 360)
    assert (row.failed_count, row.thumbs_up, row.thumbs_down) == (1, 1, 1)
    assert row.models_used == "gpt-4o"
    page = response.content.decode()
    assert '▲ 1</span> <span class="thumbs-down">▼ 1' in page and "unreviewed" in page


def test_it_filters_by_review_state_tag_thumbs_errors_and_deletion(rita_client, alice, bob):
    flagged = make_conversation(alice, title="flagged one")
    Review.objects.create(conversation=flagged, state="flagged")
    tagged = make_conversation(bob, title="tagged one")
    ConversationTag.objects.create(conversation=tagged, tag=Tag.objects.get(name="unsafe"))
    thumbed = make_conversation(alice, title="thumbed down")
    thumb(answers(thumbed)[0], "down")
    failed = make_conversation(alice, title="failed one")
    Message.objects.filter(conversation=failed, role="assistant").update(status="error")
    make_conversation(alice, title="deleted one", deleted=now())

    assert shown(rita_client.get(LIST + "?state=flagged")) == ["flagged one"]
    assert shown(rita_client.get(LIST + "?tag=unsafe")) == ["tagged one"]
    assert shown(rita_client.get(LIST + "?thumbs=down")) == ["thumbed down"]
    assert shown(rita_client.get(LIST + "?errors=error")) == ["failed one"]
    assert shown(rita_client.get(LIST + "?deleted=yes")) == ["deleted one"]
    assert shown(rita_client.get(LIST + f"?owner__id__exact={bob.pk}")) == ["tagged one"]
    assert "flagged one" not in shown(rita_client.get(LIST + "?state=unreviewed"))


def test_it_filters_by_every_model_that_answered(rita_client, alice):
    make_conversation(alice, title="only gpt")
    mixed = make_conversation(alice, title="regenerated on gemini", turns=2)
    Message.objects.filter(pk=answers(mixed)[1].pk).update(model="gemini-2.5-pro")

    page = rita_client.get(LIST).content.decode()

    assert "?model=gemini-2.5-pro" in page and "?model=gpt-4o" in page
    assert shown(rita_client.get(LIST + "?model=gemini-2.5-pro")) == ["regenerated on gemini"]


def test_it_searches_titles_and_message_text(rita_client, alice):
    make_conversation(alice, title="Birds")
    zebra = make_conversation(alice, title="Stripes")
    zebra.messages.filter(role="user").update(text="Is this a zebra crossing?")

    assert shown(rita_client.get(LIST + "?q=zebra")) == ["Stripes"]
    assert shown(rita_client.get(LIST + "?q=birds")) == ["Birds"]


def test_it_sorts_by_tokens(rita_client, alice):
    make_conversation(alice, title="short", turns=1)
    make_conversation(alice, title="long", turns=4)
    tokens_column = "6"  # list_display position of total_tokens, counting the checkbox

    assert shown(rita_client.get(LIST + f"?o=-{tokens_column}"))[0] == "long"
    assert shown(rita_client.get(LIST + f"?o={tokens_column}"))[0] == "short"


def test_it_applies_a_bulk_action_to_everything_the_filter_selects(rita_client, alice):
    for n in range(3):
        thumb(answers(make_conversation(alice, title=f"down {n}"))[0], "down")
    make_conversation(alice, title="untouched")
    QueueItem.objects.all().delete()  # thumbs down queue them by rule; start empty

    rita_client.post(
        LIST + "?thumbs=down",
        {"action": "flag", "select_across": "1", "index": "0", "_selected_action": ["1"]},
    )
    rita_client.post(
        LIST + "?thumbs=down",
        {"action": "add_to_queue", "select_across": "1", "index": "0", "_selected_action": ["1"]},
    )

    assert sorted(Review.objects.filter(state="flagged").values_list(
        "conversation__title", flat=True)) == ["down 0", "down 1", "down 2"]  # fmt: skip
    assert QueueItem.objects.filter(reason="bulk").count() == 3


def test_it_tags_in_bulk_with_the_tag_chosen_next_to_the_action(rita_client, alice):
    conversation = make_conversation(alice)
    tag = Tag.objects.get(name="wrong-answer")

    rita_client.post(
        LIST,
        {"action": "add_tag", "tag": tag.pk, "index": "0", "_selected_action": [conversation.pk]},
    )

    assert ConversationTag.objects.get().conversation == conversation


def test_it_lists_100_conversations_in_a_fixed_number_of_queries(
    rita_client, alice, bob, monkeypatch
):
    from chat.review.admin import ConversationAdmin

    monkeypatch.setattr(ConversationAdmin, "list_per_page", 100)  # all of them on one page
    tag = Tag.objects.first()

    def add_conversations(count):
        # Each with what a row shows: tags, thumbs, a review, an image, a failed answer.
        for n in range(count):
            conversation = make_conversation(alice if n % 2 else bob, title=f"c{n}", turns=3)
            ConversationTag.objects.create(conversation=conversation, tag=tag)
            first, *_, last = answers(conversation)
            thumb(first, "up")
            thumb(last, "down")
            last.status = Message.Status.ERROR
            last.save(update_fields=["status"])
            Review.objects.create(conversation=conversation, state="approved")
            attach_image(conversation.messages.first(), color=(n % 250, 9, 9))

    def count_queries(rows):
        with CaptureQueriesContext(connection) as queries:
            response = rita_client.get(LIST + "?o=-6")
        assert response.status_code == 200 and len(shown(response)) == rows
        return len(queries)

    add_conversations(10)
    ten = count_queries(10)
    add_conversations(90)

    assert count_queries(100) == ten
