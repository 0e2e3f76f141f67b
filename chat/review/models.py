"""Review data: kept apart from the chat's own tables, pointing at them."""

import uuid

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
        GOOD = "good"
        BAD = "bad"

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
        APPROVE = "approve"
        FLAG = "flag"

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


class QueueItem(models.Model):
    """A conversation waiting for review; claimed by one reviewer at a time."""

    class Reason(models.TextChoices):
        THUMBS_DOWN = "thumbs_down", gettext_lazy("thumbed down")
        FAILED = "failed", gettext_lazy("failed answer")
        BULK = "bulk", gettext_lazy("added by staff")
        SAMPLE = "sample", gettext_lazy("random sample")

    conversation = models.OneToOneField(Conversation, models.CASCADE, related_name="queue_item")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    reviews_needed = models.PositiveSmallIntegerField(default=1)
    # Denormalised so "next" can order and lock rows without an aggregate.
    reviews_done = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    claimed_until = models.DateTimeField(null=True, blank=True)
    skipped_by = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")
    created = models.DateTimeField(default=now)
    done = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # "Review next": open items, unreviewed first, oldest first.
            models.Index(fields=["done", "reviews_done", "created"], name="review_queue_next"),
        ]

    def __str__(self):
        return f"queue item for conversation {self.conversation_id} ({self.reason})"


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
        REVIEW_PAGE = "review_page", "opened review page"
        EXPORT = "export", "exported"
        ORIGINAL_IMAGE = "original_image", "opened original image"
        IMAGE_COPY = "image_copy", "opened image copy"
        LIST = "list", "opened list"
        SEARCH = "search", "searched"

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


class Correction(models.Model):
    """A reviewer's corrected answer, kept beside the original (never changed).

    Each reviewer keeps one per answer; the latest approved one is the answer's
    correction in exports and datasets (corrections.current).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed"
        APPROVED = "approved"

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


class DatasetExport(models.Model):
    """One dataset made from the conversation list, with its report: what was
    kept, and each example left out with the rule that dropped it."""

    class Kind(models.TextChoices):
        SFT = "sft", "supervised fine-tuning JSONL"
        PREFERENCES = "preferences", "preference pairs JSONL"
        IMAGEFOLDER = "imagefolder", "image folder (zip)"
        EVAL = "eval", "evaluation set JSONL"

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    options = models.JSONField(default=dict)
    filters = models.CharField(max_length=1000, blank=True)
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    created = models.DateTimeField(default=now)
    finished = models.DateTimeField(null=True, blank=True)
    conversations = models.PositiveIntegerField(default=0)
    kept = models.PositiveIntegerField(default=0)
    left_out_count = models.PositiveIntegerField(default=0)
    # {"rules": {rule: count}, "examples": [[example, rule], ...], "notes": [...]}
    report = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.created:%Y-%m-%d %H:%M}"


class ScoreDimension(models.Model):
    """One question of the rubric reviewers score answers on, defined in the admin."""

    class Kind(models.TextChoices):
        YES_NO = "yes_no", "yes / no"
        SCALE = "scale", "scale of 1 to 5"
        CATEGORIES = "categories", "one of a set of categories"

    name = models.CharField(max_length=60, unique=True)
    description = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # Scale: {"1": "what 1 means", ..., "5": ...}; categories: {"name": "what it means"}.
    values = models.JSONField(default=dict, blank=True)
    required = models.BooleanField(default=False, help_text="A decision waits until it is scored.")
    # Empty: every model; else the answers of these models (one per line).
    for_models = models.TextField(
        "models", blank=True, help_text="Model names, one per line; empty: all."
    )
    for_tags = models.ManyToManyField(
        Tag,
        blank=True,
        verbose_name="tags",
        help_text="Only answers with one of these tags (on it or its conversation); none: all.",
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


class PairItem(models.Model):
    """Two answers of a comparison waiting for reviewers' blind pairwise judgement;
    claimed by one reviewer at a time, as the conversation queue's items are.

    `first` and `second` are the pair as stored (for a pick with a winner, the
    winner and one other column); each reviewer sees them in an order of their own.
    """

    class Reason(models.TextChoices):
        SAMPLE = "sample", "sampled blind pick"
        BOTH_BAD = "both_bad", "both bad"

    comparison = models.OneToOneField("chat.Comparison", models.CASCADE, related_name="pair_item")
    first = models.ForeignKey(Message, models.CASCADE, related_name="+")
    second = models.ForeignKey(Message, models.CASCADE, related_name="+")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    reviews_needed = models.PositiveSmallIntegerField(default=1)
    reviews_done = models.PositiveSmallIntegerField(default=0)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+"
    )
    claimed_until = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=now)
    done = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["done", "reviews_done", "created"], name="review_pair_next"),
        ]

    def __str__(self):
        return f"pair from comparison {self.comparison_id} ({self.reason})"


class PairJudgment(models.Model):
    """One reviewer's blind judgement of a pair: the first answer, the second, or a tie."""

    class Value(models.TextChoices):
        FIRST = "first"
        SECOND = "second"
        TIE = "tie"

    item = models.ForeignKey(PairItem, models.CASCADE, related_name="judgments")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="+")
    value = models.CharField(max_length=6, choices=Value.choices)
    reason = models.CharField(max_length=500, blank=True)
    # Whether the reviewer saw `first` on the left (as "Answer A").
    first_shown_as_a = models.BooleanField(default=True)
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "reviewer"], name="review_pair_judged_once")
        ]
        indexes = [models.Index(fields=["created"], name="review_pair_judgment_day")]

    def __str__(self):
        return f"{self.value} on pair {self.item_id}"


class ImageBox(models.Model):
    """A reviewer's box on an image, round the part an answer got wrong (or
    right), with a tag and a note. In the original's own pixels (x, y from its
    top left corner), whatever copy was on screen when it was drawn."""

    class Verdict(models.TextChoices):
        WRONG = "wrong", "the model got this wrong"
        RIGHT = "right", "the model got this right"

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
