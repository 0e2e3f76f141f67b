"""Comparisons: one user message answered by two or three models at once, side
by side, and the person's pick among the answers, which is stored as a
preference (the leaderboard, the review queue and the dataset exports read
`Pick`).

The answers are ordinary sibling answers under the user message, as a
regenerate makes them; each points to its comparison (`Message.comparison`),
and the columns are the answers in the order they were made (a blind
comparison shuffles the models before making them).
"""

import random

from django.conf import settings
from django.db import models, transaction
from django.utils.timezone import now
from django.utils.translation import gettext, gettext_lazy

from chat.models.conversations import TurnRefused, just_stored
from chat.models.messages import Message

BLIND_LABELS = ("Model A", "Model B", "Model C")


class Comparison(models.Model):
    conversation = models.ForeignKey(
        "chat.Conversation", models.CASCADE, related_name="comparisons"
    )
    # The user message every column answers (its images are the comparison's).
    message = models.ForeignKey(Message, models.CASCADE, related_name="comparisons")
    # Names hidden ("Model A", "Model B") until the pick.
    blind = models.BooleanField(default=False)
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["created", "id"]

    def __str__(self):
        return f"comparison {self.pk} of message {self.message_id}"

    @classmethod
    def start(cls, conversation, *, user, text, images, models, blind, parent=None):
        """Store the user's message with its images and one streaming answer per
        model in `models` (2 or 3, in column order), all under one lock. The
        first column's answer becomes the current leaf: without a pick, the next
        turn continues from it. Returns (comparison, user message, answers)."""
        if blind:  # "Model A" is any of them
            models = random.sample(models, len(models))
        with transaction.atomic():
            locked = conversation._locked()
            parent, on_leaf = locked._new_turns_parent(parent)
            message = locked.messages.create(
                role=Message.Role.USER, text=text, model=models[0], parent=parent
            )
            attached = locked._attach(message, images, user=user)
            if not locked.title:
                locked.title_from(text)
            comparison = cls.objects.create(conversation=locked, message=message, blind=blind)
            answers = [locked._answer(message, model) for model in models]
            # _answer made each the current leaf in turn: the first column is to be.
            Message.objects.filter(pk__in=[a.pk for a in answers]).update(comparison=comparison)
            for answer in answers:
                answer.comparison = comparison
            locked.current = answers[0]
            locked.model = models[0]
            locked.save(update_fields=["current", "model"])
            conversation.current_id = answers[0].pk
            message = just_stored(message, attached, only_version=on_leaf)
            answers = [just_stored(answer, only_version=False) for answer in answers]  # siblings
            return comparison, message, answers

    def columns(self):
        """The answers, in column order."""
        return list(self.answers.order_by("id"))

    def labels(self, answers, *, picked):
        """What each column is called: the model, or "Model A"... while blind and unpicked."""
        if self.blind and not picked:
            return list(BLIND_LABELS[: len(answers)])
        return [answer.model for answer in answers]

    def pick_or_none(self):
        try:
            return self.pick
        except Pick.DoesNotExist:
            return None


class Pick(models.Model):
    """A person's preference among a comparison's answers: one of them, a tie,
    or both (all) bad; blind or not, with an optional reason."""

    class Outcome(models.TextChoices):
        WINNER = "winner", gettext_lazy("This one")
        TIE = "tie", gettext_lazy("Tie")
        BOTH_BAD = "both_bad", gettext_lazy("Both bad")

    comparison = models.OneToOneField(Comparison, models.CASCADE, related_name="pick")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="picks")
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    winner = models.ForeignKey(Message, models.SET_NULL, null=True, blank=True, related_name="+")
    # Kept with the pick, so that the leaderboard groups picks in one query:
    # the compared models sorted and joined by commas, and the winner's model.
    compared_models = models.CharField(max_length=400)
    winner_model = models.CharField(max_length=100, blank=True)
    blind = models.BooleanField(default=False)
    reason = models.TextField(blank=True)
    created = models.DateTimeField(default=now)

    class Meta:
        indexes = [models.Index(fields=["blind", "created"])]

    def __str__(self):
        return f"pick of comparison {self.comparison_id}: {self.outcome} {self.winner_model}"

    @classmethod
    def record(cls, comparison, *, user, outcome, winner=None, reason=""):
        """Store the pick of `comparison`, or change it: one pick per comparison,
        the person's latest (the leaderboard and the review read the latest).

        A changed pick is made with the names shown, so it is no longer blind
        (a new reason for the same pick keeps it as it was)."""
        answers = comparison.columns()
        if any(answer.status == Message.Status.STREAMING for answer in answers):
            raise TurnRefused(
                gettext("Wait for every answer to finish before picking."), code="still_streaming"
            )
        if outcome == cls.Outcome.WINNER and (
            winner is None or winner.comparison_id != comparison.pk
        ):
            raise TurnRefused(
                gettext("That answer is not in this comparison."), code="unknown_message"
            )
        winner = winner if outcome == cls.Outcome.WINNER else None
        with transaction.atomic():
            pick = cls.objects.select_for_update().filter(comparison=comparison).first()
            if pick is not None and pick.user_id != user.pk:
                raise TurnRefused(
                    gettext("This comparison has been picked already."), code="already_picked"
                )
            if pick is None:
                pick = cls(comparison=comparison, user=user, blind=comparison.blind)
            elif (pick.outcome, pick.winner_id) != (outcome, winner and winner.pk):
                pick.blind = False
            pick.outcome, pick.winner, pick.reason = outcome, winner, reason
            pick.compared_models = ",".join(sorted(answer.model for answer in answers))
            pick.winner_model = winner.model if winner else ""
            pick.created = now()
            pick.save()
            return pick
