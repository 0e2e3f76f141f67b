"""What the app keeps of an image: the original as received, and the
model-facing derivatives made from it (chat/images/ makes both)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class ImageAttachment(models.Model):
    class Detail(models.TextChoices):
        LOW = "low"
        HIGH = "high"
        AUTO = "auto"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Images are uploaded before the message they belong to exists.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="images")
    message = models.ForeignKey(
        "chat.Message", models.CASCADE, null=True, blank=True, related_name="images"
    )
    # The bytes as received, kept byte for byte for review; never sent to the
    # model or shown to anyone but the owner and staff (see Derivative).
    file = models.FileField(max_length=255, blank=True)
    name = models.CharField(max_length=255, blank=True)
    frames = models.PositiveIntegerField(default=1)
    thumbnail = models.FileField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    format = models.CharField(max_length=10, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    size = models.PositiveIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=4, choices=Detail.choices, default=Detail.AUTO)
    source_url = models.URLField(max_length=2000, blank=True)
    # The estimated input tokens for the model and detail it was sent with.
    tokens = models.PositiveIntegerField(null=True, blank=True)
    # A zoomed region: the image it was cut from, and the box
    # [left, top, width, height] in that image's upright pixels.
    crop_of = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="crops"
    )
    crop_box = models.JSONField(null=True, blank=True)
    # A page of a document (chat/documents/): which, and its number from 1.
    document = models.ForeignKey(
        "chat.Document", models.CASCADE, null=True, blank=True, related_name="pages"
    )
    page = models.PositiveIntegerField(null=True, blank=True)
    # Its place among its message's images, as the person arranged them.
    position = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["position", "created", "id"]
        permissions = [("view_original_image", "Can open original images, metadata and all")]
        indexes = [
            # Content addressing: is this upload already stored?
            models.Index(fields=["sha256"]),
        ]

    def __str__(self):
        return f"{self.format} {self.width}×{self.height} ({self.code})"

    def copy(self):
        """An unsaved copy for another message: the same stored files, a new code."""
        copy = ImageAttachment(
            **{
                f.attname: getattr(self, f.attname)
                for f in self._meta.concrete_fields
                if f.name not in ("id", "code", "created", "message")
            }
        )
        return copy

    @property
    def mime_type(self):
        return f"image/{self.format.lower()}"

    @property
    def animated(self):
        return self.frames > 1


class Derivative(models.Model):
    """What the model gets for one image at one size: EXIF-upright, without
    metadata, resized for its detail level. Content-addressed and shared by
    every attachment with the same original bytes, so it is encoded once."""

    class Kind(models.TextChoices):
        LOW = "low"
        HIGH = "high"
        VIEW = "view"  # the viewer's display copy, never sent to a model

    source = models.CharField(max_length=64)  # sha256 of the original bytes
    kind = models.CharField(max_length=4, choices=Kind.choices)
    file = models.FileField(max_length=255)
    sha256 = models.CharField(max_length=64)
    mime = models.CharField(max_length=20)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    created = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            # Building a request looks derivatives up by (source, kind), in bulk.
            models.UniqueConstraint(fields=["source", "kind"], name="chat_derivative_unique"),
        ]

    def __str__(self):
        return f"{self.kind} {self.width}×{self.height} of {self.source[:12]}"
