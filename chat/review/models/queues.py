"""What waits for a reviewer: conversations, and comparisons' pairs with their blind judgements."""

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext_lazy

from chat.models import Conversation, Message


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


class PairItem(models.Model):
    """Two answers of a comparison waiting for reviewers' blind pairwise judgement;
    claimed by one reviewer at a time, as the conversation queue's items are.

    `first` and `second` are the pair as stored (for a pick with a winner, the
    winner and one other column); each reviewer sees them in an order of their own.
    """

    class Reason(models.TextChoices):
        SAMPLE = "sample", gettext_lazy("sampled blind pick")
        BOTH_BAD = "both_bad", gettext_lazy("both bad")

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
        FIRST = "first", gettext_lazy("First")
        SECOND = "second", gettext_lazy("Second")
        TIE = "tie", gettext_lazy("Tie")

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
