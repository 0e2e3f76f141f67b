"""A document: a PDF or multi-page TIFF as received, whose pages become images
(ImageAttachment.document, .page) through chat/documents/."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class Document(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf"
        TIFF = "tiff"

    class Status(models.TextChoices):
        RENDERING = "rendering"
        READY = "ready"
        FAILED = "failed"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="documents")
    name = models.CharField(max_length=255, blank=True)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    # The bytes as received, stored once by hash; downloaded, never rendered inline.
    file = models.FileField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField()
    page_count = models.PositiveIntegerField(null=True, blank=True)
    # Per page (in order): its text layer, "" for a page without one (scans).
    page_texts = models.JSONField(default=list, blank=True)
    # Send each page's text layer with its image (the page picker's choice).
    send_text = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RENDERING)
    error = models.TextField(blank=True)
    created = models.DateTimeField(default=now)
    # Renewed with each page stored: a rendering whose process died stops renewing it.
    updated = models.DateTimeField(default=now)

    def __str__(self):
        return f"{self.name} ({self.kind}, {self.page_count} pages)"

    def page_text(self, page):
        """The text layer of page `page` (from 1), "" when it has none."""
        texts = self.page_texts
        return texts[page - 1] if 0 < page <= len(texts) else ""

    @property
    def mime_type(self):
        return "application/pdf" if self.kind == self.Kind.PDF else "image/tiff"
