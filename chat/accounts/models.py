"""What a person takes out of the app: an archive of all their conversations,
built in the background, downloadable by them alone."""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class Export(models.Model):
    class Status(models.TextChoices):
        WORKING = "working"
        READY = "ready"
        FAILED = "failed"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="exports")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WORKING)
    file = models.FileField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    conversations = models.PositiveIntegerField(default=0)
    images = models.PositiveIntegerField(default=0)
    created = models.DateTimeField(default=now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"export {self.code} of {self.user_id} ({self.status})"


class Import(models.Model):
    """One file a person brought in (a ChatGPT or Open WebUI export), landed
    in the background a conversation at a time."""

    class Status(models.TextChoices):
        WORKING = "working"
        DONE = "done"
        FAILED = "failed"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="imports")
    name = models.CharField(max_length=255, blank=True)
    file = models.FileField(max_length=255, blank=True)  # removed once read
    kind = models.CharField(max_length=20, blank=True)  # "chatgpt", "openwebui"
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WORKING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    added = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0)
    # A sentence for the person: what was wrong, or what was left out.
    note = models.TextField(blank=True)
    created = models.DateTimeField(default=now)
    finished = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"import {self.code} of {self.user_id} ({self.status})"


class ImportedConversation(models.Model):
    """Which conversation a source conversation became: importing the same
    file again skips it instead of making a copy."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    key = models.CharField(max_length=200)  # "chatgpt:<its id>", "openwebui:<its id>"
    conversation = models.ForeignKey("chat.Conversation", models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            # Is this source conversation already here? One row per person and key.
            models.UniqueConstraint(fields=["user", "key"], name="accounts_imported_unique"),
        ]

    def __str__(self):
        return f"{self.key} → {self.conversation_id}"


class LanguagePreference(models.Model):
    """The language a person chose to read the app in (chat/accounts/language.py)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    language = models.CharField(max_length=10)

    def __str__(self):
        return f"{self.user_id}: {self.language}"


class ClosedAccountQuerySet(models.QuerySet):
    def due(self, days):
        """Closed more than `days` days ago and not yet purged. An account an
        admin re-activated since is not due (its record should be gone, but a
        bulk update skips the signal that removes it)."""
        return self.filter(
            purged=None, closed__lt=now() - timedelta(days=days), user__is_active=False
        ).order_by("closed", "pk")


class ClosedAccount(models.Model):
    """An account its owner closed (chat/accounts/closing.py), which tells it
    from one an admin deactivated: when, and when all it held was deleted.
    The user row stays, inactive, so no one signs up as them. Re-activating
    the user deletes this record, and the pending purge with it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="closed_account"
    )
    closed = models.DateTimeField(default=now)
    purged = models.DateTimeField(null=True, blank=True)

    objects = ClosedAccountQuerySet.as_manager()

    def __str__(self):
        return f"{self.user_id} closed {self.closed:%Y-%m-%d}"
