"""Conversations, staff and reviewers for the review tests (make_* helpers)."""

from datetime import timedelta
from importlib import import_module

from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.utils.timezone import now

from chat import images
from chat.models import Comparison, Conversation, Feedback, Message
from tests.support.images import image_bytes
from tests.support.users import make_user


def make_staff(username, **kwargs):
    return make_user(username, is_staff=True, **kwargs)


def reviewers_group():
    """The "Reviewers" group the data migration made, made again by the same
    code where a test with transaction=True before this one emptied the tables."""
    if not Group.objects.filter(name="Reviewers").exists():
        migration = import_module("chat.review.migrations.0002_reviewers_and_search")
        migration.create_group(django_apps, None)
    return Group.objects.get(name="Reviewers")


def make_reviewer(username):
    """Staff in the "Reviewers" group."""
    user = make_staff(username)
    user.groups.add(reviewers_group())
    return user


def make_conversation(owner, *, title="A cat on a mat", turns=1, created=None, **kwargs):
    """A conversation with `turns` user/answer pairs, the answers complete."""
    created = created or now() - timedelta(hours=1)
    conversation = Conversation.objects.create(
        owner=owner, title=title, model="gpt-4o", created=created, updated=created, **kwargs
    )
    answer = None
    for n in range(turns):
        at = created + timedelta(minutes=2 * n)
        prompt = Message.objects.create(
            conversation=conversation, role="user", text=f"Question {n + 1} about the cat",
            created=at, parent=answer,
        )  # fmt: skip
        answer = Message.objects.create(parent=prompt,
            conversation=conversation, role="assistant", text=f"**Answer {n + 1}**: a cat.",
            model="gpt-4o", prompt_tokens=100, completion_tokens=20, first_token_ms=300 + n,
            total_ms=900, finish_reason="stop", created=at + timedelta(seconds=5),
        )  # fmt: skip
    if answer:
        conversation.current = answer
        conversation.save(update_fields=["current"])
    return conversation


def make_branching_conversation(owner):
    """Built as the chat page builds it (add_turn, regenerate, edit, switch_to):

        "How many cats?"  -> "Two cats." | "Three cats." -> "What colour?" -> "Black."
        "How many dogs?"  -> "One dog."

    where the second question is an edit of the first, "Three cats." a
    regeneration, and the user ended on the cats' path through "Three cats."
    Returns (conversation, {text: message}).
    """
    conversation = Conversation.objects.create(owner=owner, title="Cats", model="gpt-4o")

    def finish(answer, text):
        answer.text, answer.status, answer.finish_reason = text, Message.Status.COMPLETE, "stop"
        answer.save(update_fields=["text", "status", "finish_reason"])
        return answer

    turn = dict(user=owner, images=[], model="gpt-4o")
    cats, two = conversation.add_turn(text="How many cats?", **turn)
    finish(two, "Two cats.")
    three = finish(conversation.regenerate(two.pk, model="gpt-4o"), "Three cats.")
    colour, black = conversation.add_turn(text="What colour?", parent=three, **turn)
    finish(black, "Black.")
    dogs, one = conversation.edit(cats.pk, text="How many dogs?", **turn)
    finish(one, "One dog.")
    conversation.switch_to(three.pk)
    messages = [cats, two, three, colour, black, dogs, one]
    stored = Message.objects.filter(pk__in=[m.pk for m in messages])
    return conversation, {m.text: m for m in stored}


def answers(conversation):
    return list(conversation.messages.filter(role="assistant"))


def attach_image(message, *, owner=None, color=(200, 40, 40), name="cat.png", size=(64, 48)):
    """A real stored image (original, derivative, thumbnail) attached to `message`."""
    owner = owner or message.conversation.owner
    checked = images.check_image(image_bytes("PNG", size=size, color=color), name=name)
    attachment = images.store_image(owner=owner, checked=checked, name=name)
    attachment.message = message
    attachment.tokens = 85
    attachment.save(update_fields=["message", "tokens"])
    return attachment


def thumb(answer, rating, comment=""):
    return Feedback.objects.create(message=answer, rating=rating, comment=comment)


def review_url(conversation):
    return f"/admin/chat/conversation/{conversation.pk}/review/"


def make_comparison(owner, models=("gpt-4o", "gemini-2.5-pro"), *, blind=True, title="Receipt"):
    """A conversation whose one question was answered by each of `models` at
    once (complete answers, in column order). Returns (comparison, answers)."""
    conversation = Conversation.objects.create(owner=owner, title=title, model=models[0])
    question = Message.objects.create(
        conversation=conversation, role="user", text="What is the total on this receipt?"
    )
    comparison = Comparison.objects.create(conversation=conversation, message=question, blind=blind)
    columns = [
        Message.objects.create(
            conversation=conversation,
            role="assistant",
            parent=question,
            model=model,
            text=f"The total is {12 + n}.00 euros.",
            status="complete",
            comparison=comparison,
        )  # fmt: skip
        for n, model in enumerate(models)
    ]
    conversation.current = columns[0]
    conversation.save(update_fields=["current"])
    return comparison, columns
