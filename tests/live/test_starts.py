"""Starts that arrive together are stored together: one trip to the database
thread and one transaction (chat/live/starts.py), each start in a savepoint of
its own, so that one refused or failing start loses none of the others."""

import asyncio
import uuid

import pytest
from asgiref.sync import sync_to_async

from chat import limits
from chat.live import starts, turns
from chat.live.starts import store_together
from chat.models import Conversation, Message, TurnRefused

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_failing_start_is_rolled_back_alone(alice):
    def create(title, fail=False):
        def store():
            conversation = Conversation.objects.create(owner=alice, title=title)
            if fail:
                raise RuntimeError("the disk is full")
            return conversation.title

        return store

    outcomes = store_together([create("first"), create("second", fail=True), create("third")])

    assert [stored for stored, _ in outcomes] == [True, False, True]
    assert outcomes[0][1] == "first" and outcomes[2][1] == "third"
    assert str(outcomes[1][1]) == "the disk is full"
    titles = Conversation.objects.filter(owner=alice).values_list("title", flat=True)
    assert sorted(titles) == ["first", "third"]


async def answered(task):
    await asyncio.wait_for(task, timeout=30)


async def test_simultaneous_sends_are_stored_in_one_trip_and_a_refusal_loses_no_other(
    alice, upstream
):
    conversations = [
        await Conversation.objects.acreate(owner=alice, model="gpt-4o") for _ in range(3)
    ]
    images = [[], [(str(uuid.uuid4()), "auto")], []]  # the second: no such upload
    queue = starts.of_this_loop()

    outcomes = await asyncio.gather(
        *[
            turns.start(
                conversation=c, user=alice, text=f"Question {n}", images=i, model="gpt-4o"
            )  # fmt: skip
            for n, (c, i) in enumerate(zip(conversations, images, strict=True))
        ],
        return_exceptions=True,
    )
    first, refused, third = outcomes
    await answered(first)
    await answered(third)

    assert queue.batches == 1
    assert isinstance(refused, TurnRefused) and refused.code == "unknown_image"

    def stored(conversation):
        return list(
            Message.objects.filter(conversation=conversation)
            .order_by("pk")
            .values_list("role", "text", "status")
        )

    [answer_text] = await sync_to_async(
        lambda: list(
            Message.objects.filter(conversation=conversations[0], role="assistant").values_list(
                "text", flat=True
            )
        )
    )()
    assert await sync_to_async(stored)(conversations[1]) == []
    for number, conversation in ((0, conversations[0]), (2, conversations[2])):
        assert await sync_to_async(stored)(conversation) == [
            ("user", f"Question {number}", "complete"),
            ("assistant", answer_text, "complete"),
        ]
    # Each request was built from its own turn.
    asked = [r.body["messages"][-1]["content"] for r in upstream.requests]
    assert sorted(a[0]["text"] for a in asked) == ["Question 0", "Question 2"]


async def test_a_start_that_finds_no_batch_under_way_goes_at_once(alice, upstream):
    conversation = await Conversation.objects.acreate(owner=alice, model="gpt-4o")
    queue = starts.of_this_loop()

    task = await turns.start(conversation=conversation, user=alice, text="Hello",
                             images=[], model="gpt-4o")  # fmt: skip
    await answered(task)

    assert queue.batches == 1 and queue.queued == []


async def test_an_edit_and_a_regenerate_go_with_a_send_in_one_trip(alice, upstream):
    """An edit and a regenerate are starts too: stored in the same batch as the
    sends beside them, each tells its sockets and asks the upstream for its own turn."""
    first, second, third = [
        await Conversation.objects.acreate(owner=alice, model="gpt-4o") for _ in range(3)
    ]
    for conversation in (first, second):
        await answered(
            await turns.start(
                conversation=conversation, user=alice, text="Before", images=[], model="gpt-4o"
            )  # fmt: skip
        )
    asked_before = len(upstream.requests)
    question = await Message.objects.aget(conversation=first, role="user")
    old_answer = await Message.objects.aget(conversation=second, role="assistant")
    queue = starts.of_this_loop()
    batches_before = queue.batches

    tasks = await asyncio.gather(
        turns.edit(conversation=first, user=alice, message=question.pk, text="Edited",
                   images=[], model="gpt-4o"),
        turns.regenerate(conversation=second, user=alice, message=old_answer.pk,
                         model="gpt-4o"),
        turns.start(conversation=third, user=alice, text="Sent", images=[], model="gpt-4o"),
    )  # fmt: skip
    for task in tasks:
        await answered(task)

    assert queue.batches == batches_before + 1
    asked = [r.body["messages"][-1]["content"] for r in upstream.requests[asked_before:]]
    assert sorted(a[0]["text"] for a in asked) == ["Before", "Edited", "Sent"]

    def versions(conversation, role):
        return Message.objects.filter(conversation=conversation, role=role).count()

    assert await sync_to_async(versions)(first, "user") == 2  # the edit is a new version
    assert await sync_to_async(versions)(second, "assistant") == 2  # and so is the regenerate


async def test_a_regenerate_over_the_turn_limit_is_refused_and_stores_nothing(
    alice, upstream, settings
):
    settings.LIMIT_MESSAGES_PER_MINUTE = 1  # the send below takes it
    conversation = await Conversation.objects.acreate(owner=alice, model="gpt-4o")
    await answered(
        await turns.start(
            conversation=conversation, user=alice, text="Hello", images=[], model="gpt-4o"
        )  # fmt: skip
    )
    answer = await Message.objects.aget(conversation=conversation, role="assistant")

    with pytest.raises(limits.LimitReached) as refused:
        await turns.regenerate(conversation=conversation, user=alice, message=answer.pk,
                               model="gpt-4o")  # fmt: skip

    assert refused.value.code == "rate_limited"
    assert await Message.objects.filter(conversation=conversation).acount() == 2


async def test_a_comparison_goes_with_a_send_in_one_trip(alice, upstream):
    compared, sent = [
        await Conversation.objects.acreate(owner=alice, model="gpt-4o") for _ in range(2)
    ]
    queue = starts.of_this_loop()

    tasks, task = await asyncio.gather(
        turns.compare(conversation=compared, user=alice, text="Which?", images=[],
                      models=["gpt-4o", "gpt-4o-mini"], blind=False),
        turns.start(conversation=sent, user=alice, text="Sent", images=[], model="gpt-4o"),
    )  # fmt: skip
    for each in (*tasks, task):
        await answered(each)

    assert queue.batches == 1
    assert sorted(r.body["model"] for r in upstream.requests) == [
        "gpt-4o", "gpt-4o", "gpt-4o-mini"
    ]  # fmt: skip
    answers = Message.objects.filter(conversation=compared, role="assistant")
    assert await answers.exclude(comparison=None).acount() == 2
