"""What reviewers do to a conversation, each step kept in its Activity."""

from django.conf import settings
from django.db import transaction
from django.utils.timezone import now

from chat.review import queue
from chat.review.models import Activity, Decision, Review, Verdict

DECIDED_STATE = {
    Decision.Value.APPROVE: Review.State.APPROVED,
    Decision.Value.FLAG: Review.State.FLAGGED,
}


def review_of(conversation):
    review, _ = Review.objects.get_or_create(conversation=conversation)
    return review


def _log(conversation, actor, action, value="", message=None):
    Activity.objects.create(
        conversation=conversation, message=message, actor=actor, action=action, value=value
    )


def set_state(conversation, user, *, state, note=None):
    """Settle the conversation's state (and shared note) directly."""
    review = review_of(conversation)
    changed = []
    if state != review.state:
        review.state = state
        changed.append("state")
        _log(conversation, user, "state", state)
    if note is not None and note != review.note:
        review.note = note
        changed.append("note")
        _log(conversation, user, "note", note[:500])
    if changed:
        review.updated_by, review.updated = user, now()
        review.save(update_fields=[*changed, "updated_by", "updated"])
    return review


def decide(conversation, reviewer, *, value, note=""):
    """Record this reviewer's own decision; settle the state once the required
    number agree, and leave it in review (a disagreement) when they do not."""
    with transaction.atomic():
        Decision.objects.update_or_create(
            conversation=conversation,
            reviewer=reviewer,
            defaults={"value": value, "note": note, "created": now()},
        )
        _log(conversation, reviewer, "decision", value)
        values = list(conversation.decisions.values_list("value", flat=True))
        needed = conversation_reviews_needed(conversation)
        if len(values) >= needed and len(set(values)) == 1:
            state = DECIDED_STATE[values[0]]
        else:
            state = Review.State.IN_REVIEW
        set_state(conversation, reviewer, state=state)
    queue.complete(conversation, reviewer)


def conversation_reviews_needed(conversation):
    item = getattr(conversation, "queue_item", None)
    return item.reviews_needed if item else settings.REVIEW_REQUIRED_REVIEWS


def _toggle(links, tag, user, on):
    """Add or remove `tag` through a related manager; True when anything changed."""
    if on:
        return links.get_or_create(tag=tag, defaults={"added_by": user})[1]
    return bool(links.filter(tag=tag).delete()[0])


def tag_conversation(conversation, tag, user, *, on=True):
    if _toggle(conversation.tag_links, tag, user, on):
        _log(conversation, user, "tag added" if on else "tag removed", tag.name)


def tag_message(message, tag, user, *, on=True):
    if _toggle(message.tag_links, tag, user, on):
        action = "message tag added" if on else "message tag removed"
        _log(message.conversation, user, action, tag.name, message=message)


def _conversations_tagged(tag):
    """Ids of the conversations that carry `tag`, on themselves or a message."""
    on_messages = tag.message_links.values_list("message__conversation", flat=True)
    return set(tag.conversation_links.values_list("conversation", flat=True)) | set(on_messages)


def tag_changed(tag, user, *, old_name):
    """A tag was renamed (TagAdmin): each conversation carrying it keeps a record."""
    if tag.name != old_name:
        Activity.objects.bulk_create(
            Activity(conversation_id=pk, actor=user, action="tag renamed",
                     value=f"{old_name} → {tag.name}")
            for pk in _conversations_tagged(tag)
        )  # fmt: skip


@transaction.atomic
def delete_tags(tags, user):
    """Delete `tags` (TagAdmin), each conversation that loses one keeping a
    record of who removed it from every label."""
    for tag in tags:
        Activity.objects.bulk_create(
            Activity(conversation_id=pk, actor=user, action="tag deleted", value=tag.name)
            for pk in _conversations_tagged(tag)
        )
        tag.delete()


def give_verdict(message, reviewer, *, value, reason=""):
    Verdict.objects.update_or_create(
        message=message,
        reviewer=reviewer,
        defaults={"value": value, "reason": reason, "created": now()},
    )
    _log(message.conversation, reviewer, "verdict", f"{value}: {reason}"[:500], message=message)


def can_see_others(conversation, reviewer):
    """Blind reviews: others' decisions and verdicts stay hidden until this
    reviewer has given a decision of their own."""
    return conversation.decisions.filter(reviewer=reviewer).exists()
