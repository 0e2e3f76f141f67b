"""The access log: who read what, when, from where."""

from chat.review.models import AccessLog


def record(request, kind, *, what, conversation=None, owner=None):
    """Log one read by `request.user`; `owner` defaults to the conversation's."""
    if owner is None and conversation is not None:
        owner = conversation.owner
    return AccessLog.objects.create(
        staff=request.user,
        staff_name=request.user.get_username(),
        kind=kind,
        conversation=conversation,
        owner=owner,
        what=what[:300],
        address=request.META.get("REMOTE_ADDR") or None,
    )


def record_exports(request, conversations, *, what):
    """One entry per exported conversation, in one insert."""
    AccessLog.objects.bulk_create(
        AccessLog(
            staff=request.user,
            staff_name=request.user.get_username(),
            kind=AccessLog.Kind.EXPORT,
            conversation_id=conversation.pk,
            owner_id=conversation.owner_id,
            what=f"{what}: {conversation}"[:300],
            address=request.META.get("REMOTE_ADDR") or None,
        )
        for conversation in conversations.only("pk", "owner", "title", "code")
    )
