"""A share link: a random token that shows one conversation read-only to
anyone who has it, until it is revoked or expires."""

import secrets
from datetime import timedelta

from django.db import models
from django.db.models import Q
from django.utils.timezone import now

from chat.models import Conversation

EXPIRIES = {"never": None, "day": timedelta(days=1), "week": timedelta(weeks=1),
            "month": timedelta(days=30)}  # fmt: skip


def new_token():
    """192 random bits, URL-safe: nothing in it comes from the conversation."""
    return secrets.token_urlsafe(24)


class ShareQuerySet(models.QuerySet):
    def live(self):
        """Links that still open: not revoked, not expired, their conversation not deleted."""
        return self.filter(
            Q(expires=None) | Q(expires__gt=now()), revoked=None, conversation__deleted=None
        )

    def of(self, user):
        return self.filter(conversation__owner=user)


class Share(models.Model):
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    conversation = models.ForeignKey(Conversation, models.CASCADE, related_name="shares")
    # The name the page shows as who shared it; empty: "anonymous".
    shown_as = models.CharField(max_length=80, blank=True)
    # False: the path as it was when shared (message_ids); True: the current path.
    keep_updated = models.BooleanField(default=False)
    message_ids = models.JSONField(default=list)
    created = models.DateTimeField(default=now)
    expires = models.DateTimeField(null=True, blank=True)
    revoked = models.DateTimeField(null=True, blank=True)
    # Visitors are counted, not logged: no address is kept.
    opened = models.PositiveIntegerField(default=0)
    last_opened = models.DateTimeField(null=True, blank=True)

    objects = ShareQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"share of {self.conversation_id} ({self.created:%Y-%m-%d})"

    @property
    def is_live(self):
        return (
            self.revoked is None
            and (self.expires is None or self.expires > now())
            and self.conversation.deleted is None
        )

    def path_ids(self):
        """The ids of the messages the page shows, first to last."""
        if self.keep_updated:
            return self.conversation.path_ids()
        return list(self.message_ids)

    def revoke(self):
        if self.revoked is None:
            self.revoked = now()
            self.save(update_fields=["revoked"])

    def count_opening(self):
        Share.objects.filter(pk=self.pk).update(opened=models.F("opened") + 1, last_opened=now())
