"""Who did what in review, and which staff opened whose data."""

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy

from chat.models import Conversation, Message


class Activity(models.Model):
    """Who changed what in review, and when: the page's history."""

    conversation = models.ForeignKey(Conversation, models.CASCADE, related_name="review_activity")
    message = models.ForeignKey(Message, models.CASCADE, null=True, blank=True, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=40)
    value = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name_plural = "activity"
        indexes = [
            # A conversation's history, newest first, on its review page.
            models.Index(fields=["conversation", "-created"], name="review_activity_history"),
        ]

    def __str__(self):
        return f"{self.action} {self.value}"


class AccessLog(models.Model):
    """Every read of a conversation or image by staff: kept, never edited."""

    class Kind(models.TextChoices):
        REVIEW_PAGE = "review_page", gettext_lazy("opened review page")
        EXPORT = "export", gettext_lazy("exported")
        ORIGINAL_IMAGE = "original_image", gettext_lazy("opened original image")
        IMAGE_COPY = "image_copy", gettext_lazy("opened image copy")
        LIST = "list", gettext_lazy("opened list")
        SEARCH = "search", gettext_lazy("searched")

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    # The name at the time, so the entry still says who after an account goes.
    staff_name = models.CharField(max_length=150)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # Kept when the conversation is purged: the record outlives what was read.
    conversation = models.ForeignKey(
        Conversation, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    what = models.CharField(max_length=300)
    address = models.GenericIPAddressField(null=True, blank=True)
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["-created", "-id"]
        verbose_name = "access log entry"
        verbose_name_plural = "access log"
        indexes = [
            # The log's default view, newest first, and its date filter.
            models.Index(fields=["-created"], name="review_access_newest"),
        ]

    def __str__(self):
        return f"{self.staff_name} {self.kind} {self.what}"
