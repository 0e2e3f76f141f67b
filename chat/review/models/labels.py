"""What reviewers say of a conversation and its answers: tags, verdicts, decisions,
corrections, scores on the rubric and boxes on images, and the review's own state."""

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy

from chat.models import Conversation, ImageAttachment, Message


class Tag(models.Model):
    """A label from the editable set, for conversations and single messages."""

    name = models.SlugField(max_length=40, unique=True)
    description = models.CharField(max_length=200, blank=True)
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Review(models.Model):
    """A conversation's review state and shared note, as the team settled it."""

    class State(models.TextChoices):
        UNREVIEWED = "unreviewed", gettext_lazy("Unreviewed")
        IN_REVIEW = "in_review", gettext_lazy("in review")
        APPROVED = "approved", gettext_lazy("Approved")
        FLAGGED = "flagged", gettext_lazy("Flagged")

    conversation = models.OneToOneField(Conversation, models.CASCADE, related_name="review")
    state = models.CharField(max_length=10, choices=State.choices, default=State.UNREVIEWED)
    note = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated = models.DateTimeField(default=now)

    class Meta:
        indexes = [
            # The list's review-state filter and the summary's reviewed/flagged per day.
            models.Index(fields=["state", "updated"], name="review_state_day"),
        ]

    def __str__(self):
        return f"{self.state} ({self.conversation_id})"


class ConversationTag(models.Model):
    conversation = models.ForeignKey(Conversation, models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, models.CASCADE, related_name="conversation_links")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["conversation", "tag"], name="review_conversation_tag")
        ]

    def __str__(self):
        return f"{self.tag_id} on conversation {self.conversation_id}"


class MessageTag(models.Model):
    message = models.ForeignKey(Message, models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, models.CASCADE, related_name="message_links")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "tag"], name="review_message_tag")
        ]

    def __str__(self):
        return f"{self.tag_id} on message {self.message_id}"


class Verdict(models.Model):
    """One reviewer's judgement of one answer: never mixed with the user's thumbs."""

    class Value(models.TextChoices):
        GOOD = "good", gettext_lazy("Good")
        BAD = "bad", gettext_lazy("Bad")

    message = models.ForeignKey(Message, models.CASCADE, related_name="verdicts")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    value = models.CharField(max_length=4, choices=Value.choices)
    reason = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(default=now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["message", "reviewer"], name="review_verdict_once")
        ]

    def __str__(self):
        return f"{self.value} on message {self.message_id}"


class Decision(models.Model):
    """One reviewer's independent decision on a conversation (K of them may be asked)."""

    class Value(models.TextChoices):
        APPROVE = "approve", gettext_lazy("Approve")
        FLAG = "flag", gettext_lazy("Flag")

    conversation = models.ForeignKey(Conversation, models.CASCADE, related_name="decisions")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    value = models.CharField(max_length=7, choices=Value.choices)
    note = models.TextField(blank=True)
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "reviewer"], name="review_decision_once"
            )
        ]
        indexes = [
            # Agreement per day on the summary page.
            models.Index(fields=["created"], name="review_decision_day"),
        ]

    def __str__(self):
        return f"{self.value} on conversation {self.conversation_id}"


class Correction(models.Model):
    """A reviewer's corrected answer, kept beside the original (never changed).

    Each reviewer keeps one per answer; the latest approved one is the answer's
    correction in exports and datasets (corrections.current).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", gettext_lazy("Proposed")
        APPROVED = "approved", gettext_lazy("Approved")

    message = models.ForeignKey(Message, models.CASCADE, related_name="corrections")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    text = models.TextField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PROPOSED)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=now)
    updated = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["message", "author"], name="review_correction_once")
        ]
        indexes = [
            # The summary's corrections per day (per model, per tag).
            models.Index(fields=["created"], name="review_correction_day"),
        ]

    def __str__(self):
        return f"{self.status} correction of message {self.message_id}"


class ScoreDimension(models.Model):
    """One question of the rubric reviewers score answers on, defined in the admin."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", gettext_lazy("yes / no")
        SCALE = "scale", gettext_lazy("scale of 1 to 5")
        CATEGORIES = "categories", gettext_lazy("one of a set of categories")

    name = models.CharField(max_length=60, unique=True)
    description = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Scale: {"1": "what 1 means", ..., "5": ...}; categories: {"name": "what it means"}.
    values = models.JSONField(default=dict, blank=True)
    required = models.BooleanField(
        default=False, help_text=gettext_lazy("A decision waits until it is scored.")
    )
    # Empty: every model; else the answers of these models (one per line).
    for_models = models.TextField(
        "models", blank=True, help_text=gettext_lazy("Model names, one per line; empty: all.")
    )
    for_tags = models.ManyToManyField(
        Tag,
        blank=True,
        verbose_name=gettext_lazy("tags"),
        help_text=gettext_lazy(
            "Only answers with one of these tags (on it or its conversation); none: all."
        ),
    )
    position = models.PositiveSmallIntegerField(default=0)
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name

    def choices(self):
        """[(value, label)] a reviewer picks from, in order."""
        if self.kind == self.Kind.YES_NO:
            return [("yes", "yes"), ("no", "no")]
        if self.kind == self.Kind.SCALE:
            return [(str(n), self.values.get(str(n), "")) for n in range(1, 6)]
        return list(self.values.items())

    def model_names(self):
        return {line.strip() for line in self.for_models.splitlines() if line.strip()}


class Score(models.Model):
    """One reviewer's score of one answer on one dimension."""

    message = models.ForeignKey(Message, models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(ScoreDimension, models.CASCADE, related_name="scores")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    value = models.CharField(max_length=60)
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["message", "dimension", "reviewer"], name="review_score_once"
            )
        ]
        indexes = [
            # The summary: each dimension per model per day.
            models.Index(fields=["dimension", "created"], name="review_score_day"),
        ]

    def __str__(self):
        return f"{self.dimension_id}={self.value} on message {self.message_id}"


class ImageBox(models.Model):
    """A reviewer's box on an image, round the part an answer got wrong (or
    right), with a tag and a note. In the original's own pixels (x, y from its
    top left corner), whatever copy was on screen when it was drawn."""

    class Verdict(models.TextChoices):
        WRONG = "wrong", gettext_lazy("the model got this wrong")
        RIGHT = "right", gettext_lazy("the model got this right")

    image = models.ForeignKey(ImageAttachment, models.CASCADE, related_name="review_boxes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    x = models.PositiveIntegerField()
    y = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    tag = models.ForeignKey(Tag, models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.CharField(max_length=500, blank=True)
    verdict = models.CharField(max_length=5, choices=Verdict.choices, default=Verdict.WRONG)
    created = models.DateTimeField(default=now)
    updated = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created", "id"]
        verbose_name_plural = "image boxes"

    def __str__(self):
        return f"box {self.x},{self.y} {self.width}×{self.height} on image {self.image_id}"

    @property
    def label(self):
        return self.tag.name if self.tag else ""
