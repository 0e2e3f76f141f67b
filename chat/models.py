import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now

TITLE_LENGTH = 60


def default_image_history_turns():
    """The operator's default (settings.IMAGE_HISTORY_TURNS); None means every turn."""
    return settings.IMAGE_HISTORY_TURNS


class ConversationQuerySet(models.QuerySet):
    def for_user(self, user):
        """The user's own conversations, without those they deleted."""
        return self.filter(owner=user, deleted=None)


class Conversation(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="conversations"
    )
    title = models.CharField(max_length=200, blank=True)
    model = models.CharField(max_length=100, blank=True)
    created = models.DateTimeField(default=now)
    updated = models.DateTimeField(default=now)
    # Set when its user deletes it: gone from their list and URLs, kept for review.
    deleted = models.DateTimeField(null=True, blank=True)
    # Resend the images of only the last N user turns (None: all of them);
    # older images become a short text placeholder in the request.
    image_history_turns = models.PositiveSmallIntegerField(
        null=True, blank=True, default=default_image_history_turns
    )

    objects = ConversationQuerySet.as_manager()

    class Meta:
        indexes = [
            # The sidebar: one user's conversations, most recent first.
            models.Index(fields=["owner", "-updated"]),
        ]

    def __str__(self):
        return self.title or f"Conversation {self.code}"

    def title_from(self, text):
        """Set the title from the first message, cut at a word near TITLE_LENGTH."""
        text = " ".join(text.split())
        if len(text) > TITLE_LENGTH:
            text = text[:TITLE_LENGTH].rsplit(" ", 1)[0] + "…"
        self.title = text or "Image conversation"


class Message(models.Model):
    class Role(models.TextChoices):
        SYSTEM = "system"
        USER = "user"
        ASSISTANT = "assistant"

    class Status(models.TextChoices):
        COMPLETE = "complete"
        STREAMING = "streaming"
        ERROR = "error"
        STOPPED = "stopped"

    conversation = models.ForeignKey(Conversation, models.CASCADE, related_name="messages")
    role = models.CharField(max_length=10, choices=Role.choices)
    text = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COMPLETE)
    model = models.CharField(max_length=100, blank=True)
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(null=True, blank=True)
    first_token_ms = models.PositiveIntegerField(null=True, blank=True)
    total_ms = models.PositiveIntegerField(null=True, blank=True)
    finish_reason = models.CharField(max_length=40, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # What the request for this answer left out (chat/history.py): earlier
    # turns dropped to fit the history budget, earlier images not resent.
    dropped_turns = models.PositiveSmallIntegerField(default=0)
    dropped_images = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            # The transcript of one conversation, in order.
            models.Index(fields=["conversation", "created"]),
        ]

    def __str__(self):
        return f"{self.role} message {self.pk} ({self.status})"

    @property
    def is_finished(self):
        return self.status != self.Status.STREAMING


class ImageAttachment(models.Model):
    class Detail(models.TextChoices):
        LOW = "low"
        HIGH = "high"
        AUTO = "auto"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Images are uploaded before the message they belong to exists.
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="images")
    message = models.ForeignKey(
        Message, models.CASCADE, null=True, blank=True, related_name="images"
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
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            # Content addressing: is this upload already stored?
            models.Index(fields=["sha256"]),
        ]

    def __str__(self):
        return f"{self.format} {self.width}×{self.height} ({self.code})"

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
