"""A message: a user's turn or an answer, with what the gateway reported and
its text rendered as HTML when it is stored."""

from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy

from chat import markdown, signals

# What a page says under a complete answer, by the code its payload carries
# (Message.notice_code): the page's script has the same sentences in the JS
# catalogue, and the server's pages (shared, review, exports) say them at
# render time, so each reader reads their own language.
NOTICES = {
    "length": gettext_lazy("The answer was cut at the token limit."),
    "content_filter": gettext_lazy("The gateway filtered the answer."),
    "image_settings_ignored": gettext_lazy(
        "This gateway does not take image settings (aspect ratio, size): the image was made "
        "without them, and they are not sent to this model again until the server restarts."
    ),
}


@dataclass
class Outcome:
    """How an answer ended, as Message.finish stores it."""

    status: str
    error_code: str = ""
    error: str = ""
    http_status: int | None = None
    upstream_error: str = ""


class MessageQuerySet(models.QuerySet):
    def abandoned(self, seconds):
        """Streaming answers whose heartbeat is older than `seconds`."""
        return self.filter(
            status=Message.Status.STREAMING, heartbeat__lt=now() - timedelta(seconds=seconds)
        )


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

    conversation = models.ForeignKey("chat.Conversation", models.CASCADE, related_name="messages")
    # The message this one follows; its siblings are the other versions.
    parent = models.ForeignKey(
        "self", models.CASCADE, null=True, blank=True, related_name="children"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    text = models.TextField(blank=True)
    # A finished answer's text as Markdown rendered and sanitized
    # (chat/markdown.py): rendered once when it is stored, read by every page.
    html = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.COMPLETE)
    model = models.CharField(max_length=100, blank=True)
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(null=True, blank=True)
    first_token_ms = models.PositiveIntegerField(null=True, blank=True)
    total_ms = models.PositiveIntegerField(null=True, blank=True)
    finish_reason = models.CharField(max_length=40, blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)
    # What the gateway itself said (its error body or event, key redacted), for
    # review and the logs; the user is shown `error`, our sentence, instead.
    upstream_error = models.TextField(blank=True)
    http_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # What the request for this answer left out (chat/live/request_body.py): earlier
    # turns dropped to fit the history budget, earlier images not resent.
    dropped_turns = models.PositiveSmallIntegerField(default=0)
    dropped_images = models.PositiveSmallIntegerField(default=0)
    # The conversation's settings this answer was asked with, for review.
    instructions = models.TextField(blank=True)
    temperature = models.FloatField(null=True, blank=True)
    max_tokens = models.PositiveIntegerField(null=True, blank=True)
    # An image model's settings for this answer ({"aspect_ratio", "image_size"};
    # "ignored": true when the gateway refused them and they were left out).
    image_config = models.JSONField(default=dict, blank=True)
    # What the answer's stream carried for the provider to get back on later
    # turns (Gemini 3's thought signatures), by where it came (chat/studio/
    # provider_state.py). Opaque: never shown, never logged.
    provider_state = models.JSONField(default=dict, blank=True)
    # The JSON Schema an extraction asked for (chat/extraction/), checked before
    # it was stored: on the user's message, and copied to each answer to it.
    schema = models.JSONField(default=dict, blank=True)
    # The id that follows this answer through the logs and the gateway's
    # X-Request-ID header, from the websocket frame that asked for it.
    request_id = models.CharField(max_length=64, blank=True)
    # One of the answers asked at once of several models (chat/models/comparisons.py).
    comparison = models.ForeignKey(
        "chat.Comparison", models.SET_NULL, null=True, blank=True, related_name="answers"
    )
    created = models.DateTimeField(default=now)
    # Renewed every second by the process streaming this answer; a streaming
    # answer whose heartbeat stopped belonged to a process that died.
    heartbeat = models.DateTimeField(default=now)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["created", "id"]
        indexes = [
            # The transcript of one conversation, in order.
            models.Index(fields=["conversation", "created"]),
            # The sweep for abandoned answers: streaming ones by heartbeat.
            models.Index(
                fields=["heartbeat"],
                condition=models.Q(status="streaming"),
                name="chat_message_streaming",
            ),
            # Failed answers: the review queue's refill and the summary's errors.
            models.Index(
                fields=["created"],
                condition=models.Q(status="error"),
                name="chat_message_failed",
            ),
        ]

    def __str__(self):
        return f"{self.role} message {self.pk} ({self.status})"

    def save(self, *args, **kwargs):
        # The stored HTML follows the text whenever the text or status is written.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"text", "status"} & set(update_fields):
            self.html = self.rendered_html()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "html"}
        super().save(*args, **kwargs)

    @property
    def is_finished(self):
        return self.status != self.Status.STREAMING

    @property
    def notice_code(self):
        """Why the reader is told something under this answer (a key of NOTICES):
        cut at the token limit, filtered, or its image settings refused; or ""."""
        if self.finish_reason in ("length", "content_filter"):
            return self.finish_reason
        if (self.image_config or {}).get("ignored"):
            return "image_settings_ignored"
        return ""

    @property
    def notice(self):
        """The notice's sentence in the language active now (the templates')."""
        return str(NOTICES[self.notice_code]) if self.notice_code else ""

    def rendered_html(self):
        """The HTML to store: a finished answer's Markdown rendered; nothing for a
        user's message (shown as typed) or an answer still streaming (the page
        renders that itself)."""
        if self.role != self.Role.ASSISTANT or not self.is_finished:
            return ""
        return markdown.render(self.text)

    def html_now(self):
        """For review and exports: the stored HTML, or an answer still streaming
        rendered as far as it got."""
        if self.role == self.Role.ASSISTANT and not self.is_finished:
            return markdown.render(self.text)
        return self.html

    def finish(self, outcome, *, text, request_id, first_token_ms, total_ms, finished=None):
        """Store how this streaming answer ended: its text, `outcome`, its timings
        and what the gateway's end (`finished`: reason, token counts) said; its
        conversation moves to the top of the list. One save, HTML included;
        the caller publishes the end (chat/live/answer_task.py)."""
        self.text = text
        self.status = outcome.status
        self.error_code = outcome.error_code
        self.error = outcome.error
        self.http_status = outcome.http_status
        self.upstream_error = outcome.upstream_error
        self.request_id = request_id
        self.first_token_ms = first_token_ms
        self.total_ms = total_ms
        if finished:
            self.finish_reason = finished.reason or ""
            self.prompt_tokens = finished.prompt_tokens
            self.completion_tokens = finished.completion_tokens
        self.save()
        conversations = Message.conversation.field.related_model.objects
        conversations.filter(pk=self.conversation_id).update(updated=now())

    INTERRUPTED = (
        "The server restarted while this answer was streaming; the text above is what was saved."
    )

    def mark_interrupted(self, *, text=None):
        """Settle a streaming answer as interrupted, keeping `text` (default: the
        saved text this object was loaded with).

        Returns False, changing nothing, when it was no longer streaming.
        """
        text = self.text if text is None else text
        fields = {
            "status": self.Status.ERROR,
            "error_code": "interrupted",
            "error": self.INTERRUPTED,
            "text": text,
            "html": markdown.render(text) if self.role == self.Role.ASSISTANT else "",
        }
        marked = Message.objects.filter(pk=self.pk, status=self.Status.STREAMING).update(**fields)
        if marked:
            for name, value in fields.items():
                setattr(self, name, value)
            signals.answer_failed_without_save.send(sender=Message, message=self)
        return bool(marked)
