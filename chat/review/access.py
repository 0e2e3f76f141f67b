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


class LogsItsReads:
    """For a ModelAdmin whose list shows users' content: each time staff open
    the list, and each search with its query, goes to the access log."""

    # What opening the list reads, for the log; None: only searches are logged.
    list_read = None

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        # Only a list that was shown: not one refused, nor an action's POST.
        if request.method == "GET" and response.status_code == 200:
            query = request.GET.get("q", "").strip()
            plural = self.model._meta.verbose_name_plural
            if query:
                record(request, AccessLog.Kind.SEARCH, what=f"searched {plural}: {query}")
            elif self.list_read:
                record(request, AccessLog.Kind.LIST, what=self.list_read)
        return response


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
