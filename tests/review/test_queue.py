"""The review queue: in by rule, out to one reviewer at a time, K blind reviews."""

from datetime import timedelta

import pytest
from django.utils.timezone import now

from chat.live import lifecycle, turns
from chat.live import turns as chat_answers
from chat.models import Conversation, Message
from chat.review import queue
from chat.review.models import QueueItem, Review
from chat.testing.upstream import Reply
from tests.support.review import answers, make_conversation, review_url
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db
NEXT = "/admin/chat/conversation/queue/next/"


def queued(owner, title, *, hours_ago, reason="bulk"):
    conversation = make_conversation(owner, title=title)
    QueueItem.objects.create(
        conversation=conversation, reason=reason, created=now() - timedelta(hours=hours_ago)
    )
    return conversation


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_it_queues_a_conversation_whose_answer_failed(alice):
    answer = answers(make_conversation(alice))[0]
    answer.status, answer.error = Message.Status.ERROR, "The gateway timed out."
    answer.save()

    assert QueueItem.objects.get().reason == "failed"


def test_it_catches_failed_answers_marked_without_a_save(alice, rita):
    conversation = make_conversation(alice)
    Message.objects.filter(conversation=conversation, role="assistant").update(status="error")

    assert queue.claim_next(rita).conversation == conversation


def test_it_samples_new_conversations_by_the_operator_setting(alice, settings):
    settings.REVIEW_SAMPLE_PERCENT = 100
    make_conversation(alice, turns=2)
    settings.REVIEW_SAMPLE_PERCENT = 0
    make_conversation(alice, turns=1)

    assert QueueItem.objects.get().reason == "sample"


def test_it_hands_out_the_oldest_unreviewed_first(alice, rita):
    queued(alice, "newer", hours_ago=1)
    queued(alice, "older", hours_ago=5)
    reviewed = queued(alice, "oldest but reviewed once", hours_ago=9)
    QueueItem.objects.filter(conversation=reviewed).update(reviews_done=1, reviews_needed=2)

    assert queue.claim_next(rita).conversation.title == "older"


def test_it_never_gives_two_reviewers_the_same_item(alice, rita, ravi):
    queued(alice, "one", hours_ago=2)
    queued(alice, "two", hours_ago=1)

    first = client_for(rita).get(NEXT)
    second = client_for(ravi).get(NEXT)

    assert first["Location"] != second["Location"]
    assert set(QueueItem.objects.values_list("claimed_by__username", flat=True)) == {"rita", "ravi"}
    # A third press by rita keeps her on her own claim.
    assert client_for(rita).get(NEXT)["Location"] == first["Location"]


def test_it_lands_on_the_next_item_when_completing(alice, rita):
    first = queued(alice, "first", hours_ago=2)
    second = queued(alice, "second", hours_ago=1)
    client = client_for(rita)
    client.get(NEXT)

    response = client.post(
        review_url(first), {"action": "decide", "value": "approve", "then": "next"}, follow=True
    )

    assert response.redirect_chain[-1][0] == review_url(second)
    item = QueueItem.objects.get(conversation=first)
    assert item.done is not None and item.claimed_by is None
    assert Review.objects.get(conversation=first).state == "approved"


def test_it_puts_a_skipped_item_back_for_someone_else(alice, rita, ravi):
    only = queued(alice, "only", hours_ago=1)
    other = queued(alice, "other", hours_ago=0)
    client = client_for(rita)
    client.get(NEXT)
    item = QueueItem.objects.get(conversation=only)

    response = client.post(f"/admin/chat/conversation/queue/{item.pk}/skip/", follow=True)

    assert response.redirect_chain[-1][0] == review_url(other)  # rita moves on
    assert queue.claim_next(ravi).conversation == only  # back in line for ravi


def test_it_gives_an_expired_claim_to_someone_else(alice, rita, ravi, settings):
    conversation = queued(alice, "abandoned", hours_ago=1)
    queue.claim_next(rita)
    assert queue.claim_next(ravi) is None

    QueueItem.objects.update(claimed_until=now() - timedelta(seconds=1))

    assert queue.claim_next(ravi).conversation == conversation


def test_it_says_so_when_the_queue_is_empty(rita):
    response = client_for(rita).get(NEXT, follow=True)

    assert "The queue is empty" in response.content.decode()


def test_it_asks_k_reviewers_and_keeps_them_blind(alice, rita, ravi, settings):
    settings.REVIEW_REQUIRED_REVIEWS = 2
    conversation = make_conversation(alice)
    queue.add(conversation.pk, QueueItem.Reason.BULK)
    rita_client, ravi_client = client_for(rita), client_for(ravi)

    rita_client.post(review_url(conversation), {"action": "decide", "value": "flag",
                                                "note": "rita thinks it is wrong"})  # fmt: skip
    assert QueueItem.objects.get().done is None  # one of two
    before = ravi_client.get(review_url(conversation)).content.decode()
    assert "rita thinks it is wrong" not in before and "1 other review hidden" in before

    ravi_client.post(review_url(conversation), {"action": "decide", "value": "approve"})
    after = ravi_client.get(review_url(conversation)).content.decode()

    assert "rita thinks it is wrong" in after
    assert QueueItem.objects.get().done is not None
    # They disagree: the conversation stays in review and is listed.
    assert Review.objects.get().state == "in_review"
    listing = rita_client.get("/admin/chat/conversation/disagreements/").content.decode()
    assert conversation.title in listing and "ravi: <strong>approve</strong>" in listing


def test_it_never_hands_a_reviewer_what_they_already_decided(alice, rita, ravi, settings):
    settings.REVIEW_REQUIRED_REVIEWS = 2
    conversation = make_conversation(alice)
    queue.add(conversation.pk, QueueItem.Reason.BULK)
    client_for(rita).post(review_url(conversation), {"action": "decide", "value": "flag"})

    assert queue.claim_next(rita) is None
    assert queue.claim_next(ravi).conversation == conversation


@pytest.mark.django_db(transaction=True)
async def test_it_queues_an_answer_the_sweep_marks_interrupted_at_once(alice, settings):
    settings.ANSWER_ABANDONED_SECONDS = 30
    conversation = await Conversation.objects.acreate(owner=alice)
    await Message.objects.acreate(
        conversation=conversation, role="assistant", status="streaming", text="It is a",
        heartbeat=now() - timedelta(seconds=31),
    )  # fmt: skip

    assert await turns.settle_abandoned() == 1

    # In the queue as it is marked, not at some reviewer's next "next".
    item = await QueueItem.objects.aget()
    assert (item.conversation_id, item.reason, item.claimed_by_id) == (
        conversation.pk,
        "failed",
        None,
    )


@pytest.mark.django_db(transaction=True)
async def test_it_queues_an_answer_a_graceful_stop_interrupts(
    alice, alice_client, upstream, monkeypatch
):
    monkeypatch.setattr(chat_answers, "_accepting", True)  # shutdown() refuses new answers after it
    conversation = await Conversation.objects.acreate(owner=alice)
    upstream.queue(Reply(tokens=["Only ", "this", " and more."], hold_after=2))
    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "Go", "model": "gpt-4o"})
    await receive_until(communicator, "token")

    await lifecycle.shutdown(grace=0)

    answer = await Message.objects.aget(role="assistant")
    assert answer.error_code == "interrupted"
    item = await QueueItem.objects.aget()
    assert (item.conversation_id, item.reason) == (conversation.pk, "failed")
