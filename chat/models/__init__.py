import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils.timezone import now

from chat import markdown, signals

# Importable from chat.models as before; Django finds them through this import.
from chat.models.images import Derivative, ImageAttachment  # noqa: F401
from chat.refusals import Refusal

TITLE_LENGTH = 60


class TurnRefused(Refusal):
    """A new turn or version that cannot be made now; `message` is for the user."""


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
    # The last message of the version on screen: messages form a tree (each
    # has a parent), and this leaf picks the path that later turns build on.
    current = models.ForeignKey("Message", models.SET_NULL, null=True, blank=True, related_name="+")
    # Sent with every answer (chat/forms.py validates them); see AnswerSettings.
    instructions = models.TextField(blank=True)
    temperature = models.FloatField(null=True, blank=True)
    max_tokens = models.PositiveIntegerField(null=True, blank=True)

    objects = ConversationQuerySet.as_manager()

    class Meta:
        permissions = [("review_conversation", "Can read and review every conversation")]
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

    def path_ids(self, leaf=None):
        """The ids of the messages from the first one down to `leaf` (default: the
        current leaf); nothing from other branches. One query, of ids only."""
        leaf_id = leaf.pk if isinstance(leaf, Message) else leaf or self.current_id
        parents = dict(self.messages.values_list("pk", "parent_id"))
        ids = []
        while leaf_id is not None and leaf_id in parents:
            ids.append(leaf_id)
            leaf_id = parents[leaf_id]
        ids.reverse()
        return ids

    def messages_of(self, ids):
        """The messages `ids`, in that order, with their images."""
        by_id = self.messages.prefetch_related("images").in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def path(self, leaf=None):
        """The messages from the first one down to `leaf` (default: the current
        leaf), with their images; nothing from other branches."""
        return self.messages_of(self.path_ids(leaf))

    def append(self, **fields):
        """Add a finished message under the current leaf and make it current
        (no checks: for imports, fixtures and benchmarks)."""
        message = self.messages.create(parent=self.current, **fields)
        self.current = message
        self.save(update_fields=["current"])
        return message

    def latest_leaf(self, message):
        """The newest message at the end of the branches below `message`: where a
        switch to `message`'s version lands."""
        children = {}
        for child_id, parent_id in self.messages.values_list("pk", "parent_id"):
            children.setdefault(parent_id, []).append(child_id)
        leaf_id = message.pk
        while children.get(leaf_id):
            leaf_id = max(children[leaf_id])
        return leaf_id

    def _locked(self):
        """This conversation's row, locked for the transaction, refusing a new
        answer while one streams."""
        conversation = Conversation.objects.select_for_update().get(pk=self.pk)
        if conversation.messages.filter(status=Message.Status.STREAMING).exists():
            raise TurnRefused(
                "The previous answer is still streaming: wait for it or stop it first.",
                code="answer_in_progress",
            )
        return conversation

    def _message(self, message_id, *, role=None):
        message = (
            self.messages.filter(pk=message_id).first() if isinstance(message_id, int) else None
        )
        if message is None or (role and message.role != role):
            raise TurnRefused("That message is not in this conversation.", code="unknown_message")
        return message

    def _attach(self, message, images, *, user, keep_from=None):
        """Link `images` [(code, detail)] to `message`: fresh uploads of `user`, or
        images of `keep_from` (the message being edited), copied so that both
        versions keep theirs."""
        from chat import images as images_tokens  # chat.images imports these models

        details = dict(images)
        fresh = {
            a.code: a
            for a in ImageAttachment.objects.filter(owner=user, code__in=details, message=None)
        }
        kept = {}
        if keep_from is not None:
            kept = {a.code: a for a in keep_from.images.filter(code__in=details)}
        if len(fresh) + len(kept) != len(details):
            raise TurnRefused(
                "One of the images was not found or was already sent; attach it again.",
                code="unknown_image",
            )
        attached = []
        for position, (code, detail) in enumerate(images):
            attachment = fresh.get(code) or kept[code].copy()
            attachment.message = message
            attachment.position = position
            attachment.detail = detail
            attachment.tokens = images_tokens.estimate_tokens(
                message.model, attachment.width, attachment.height, detail
            )
            if attachment.pk is None:
                attachment.save()  # a copy
            attached.append(attachment)
        # One write for the fresh uploads, however many.
        ImageAttachment.objects.bulk_update(
            [a for a in attached if a.code in fresh], ["message", "position", "detail", "tokens"]
        )
        return attached

    def _answer(self, parent, model):
        answer = self.messages.create(
            role=Message.Role.ASSISTANT,
            status=Message.Status.STREAMING,
            model=model,
            parent=parent,
            instructions=self.instructions,
            temperature=self.temperature,
            max_tokens=self.max_tokens,
        )
        self.current = answer
        self.model = model
        self.updated = now()
        self.save(update_fields=["current", "model", "updated", "title"])
        return answer

    def add_turn(self, *, user, text, images, model, parent=None):
        """Store the user's message (under `parent`, default the current leaf)
        with its images [(code, detail)], and an empty streaming answer.

        Returns (user message, answer); raises TurnRefused.
        """
        with transaction.atomic():
            conversation = self._locked()
            if parent is None:
                parent = conversation.current
            elif not isinstance(parent, Message):
                parent = conversation._message(parent)
            message = conversation.messages.create(
                role=Message.Role.USER, text=text, model=model, parent=parent
            )
            conversation._attach(message, images, user=user)
            if not conversation.title:
                conversation.title_from(text)
            return message, conversation._answer(message, model)

    def edit(self, message_id, *, user, text, images, model):
        """A new version of the user message `message_id`: a branch from the same
        point, with the new text and images (kept ones are images of the edited
        message). The old branch stays. Returns (user message, answer)."""
        with transaction.atomic():
            conversation = self._locked()
            edited = conversation._message(message_id, role=Message.Role.USER)
            message = conversation.messages.create(
                role=Message.Role.USER, text=text, model=model, parent_id=edited.parent_id
            )
            conversation._attach(message, images, user=user, keep_from=edited)
            return message, conversation._answer(message, model)

    def regenerate(self, message_id, *, model):
        """A new version of the answer `message_id` (also a retry after a failed
        one): a new streaming answer to the same user message. Returns it."""
        with transaction.atomic():
            conversation = self._locked()
            answer = conversation._message(message_id, role=Message.Role.ASSISTANT)
            return conversation._answer(answer.parent, model)

    def switch_to(self, message_id):
        """Show the version holding `message_id`: the current leaf becomes the
        newest message at the end of its branch."""
        with transaction.atomic():
            conversation = self._locked()
            message = conversation._message(message_id)
            conversation.current_id = conversation.latest_leaf(message)
            conversation.save(update_fields=["current"])
            self.current_id = conversation.current_id


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

    conversation = models.ForeignKey(Conversation, models.CASCADE, related_name="messages")
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
    # The id that follows this answer through the logs and the gateway's
    # X-Request-ID header, from the websocket frame that asked for it.
    request_id = models.CharField(max_length=64, blank=True)
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


class Preferences(models.Model):
    """A person's defaults: new conversations start from them. The model and
    answer settings follow what they used last; the instructions are set on
    their settings page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, models.CASCADE, related_name="preferences"
    )
    model = models.CharField(max_length=100, blank=True)
    instructions = models.TextField(blank=True)
    temperature = models.FloatField(null=True, blank=True)
    max_tokens = models.PositiveIntegerField(null=True, blank=True)

    def __str__(self):
        return f"preferences of {self.user_id}"

    @classmethod
    def of(cls, user):
        return cls.objects.get_or_create(user=user)[0]


class Bucket(models.Model):
    """One user's token bucket for one limit (chat/limits.py): `level` tokens
    left at `updated`; it refills continuously up to the limit's capacity."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="buckets")
    name = models.CharField(max_length=20)
    level = models.FloatField()
    updated = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            # Each limit takes from its one row per user, locked while it does.
            models.UniqueConstraint(fields=["user", "name"], name="chat_bucket_unique"),
        ]

    def __str__(self):
        return f"{self.name} of user {self.user_id}: {self.level:.1f}"


class Feedback(models.Model):
    """A user's own thumbs up or down, and an optional comment, on one finished answer."""

    class Rating(models.TextChoices):
        UP = "up"
        DOWN = "down"

    message = models.OneToOneField(Message, models.CASCADE, related_name="feedback")
    rating = models.CharField(max_length=4, choices=Rating.choices)
    comment = models.TextField(blank=True, max_length=2000)
    created = models.DateTimeField(default=now)
    updated = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            # Review's "thumbed down" filter and the summary's thumbs per day.
            models.Index(fields=["rating", "created"], name="chat_feedback_rating_day"),
        ]

    def __str__(self):
        return f"{self.rating} on message {self.message_id}"
