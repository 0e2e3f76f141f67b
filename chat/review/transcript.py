"""The transcript as its user saw it, grouped into turns for the review page:
each user message with the answers to it (several when it was regenerated or
edited, shown side by side)."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from chat import markdown
from chat.models import Message
from chat.review.models import MessageTag, Verdict


@dataclass
class Turn:
    prompt: Message | None
    answers: list = field(default_factory=list)


def messages_for_review(conversation):
    tags = MessageTag.objects.select_related("tag", "added_by").order_by("tag__name")
    return (
        conversation.messages.select_related("feedback")
        .prefetch_related(
            "images",
            Prefetch("tag_links", queryset=tags),
            Prefetch("verdicts", queryset=Verdict.objects.select_related("reviewer")),
        )
        .order_by("created", "id")
    )


def _has_tree():
    return any(f.name == "parent" for f in Message._meta.get_fields())


def current_path(conversation):
    """Ids of the messages on the path the user last saw, once the tree exists."""
    if not _has_tree() or not getattr(conversation, "current_id", None):
        return None
    return {message.pk for message in conversation.path()}


def turns(messages, on_path=None):
    """Group answers under the user message they answer: by `parent` once the
    message tree exists, by order before that (answers after a prompt).
    `on_path` (ids) marks the versions the user was last shown."""
    by_id, result = {}, []
    tree = _has_tree()
    for message in messages:
        message.on_path = on_path is None or message.pk in on_path
        if message.role == Message.Role.ASSISTANT:
            message.html = markdown.render(message.text)
            if tree and message.parent_id:
                parent = by_id.get(message.parent_id)
            else:
                parent = result[-1] if result else None
            if parent is None:
                parent = Turn(prompt=None)
                result.append(parent)
            parent.answers.append(message)
        else:
            turn = Turn(prompt=message)
            by_id[message.pk] = turn
            result.append(turn)
    for turn in result:
        for number, answer in enumerate(turn.answers, 1):
            answer.version = number
    return result
