"""What a person takes out of the app: an archive of all their conversations,
built in the background, downloadable by them alone."""

import uuid

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
