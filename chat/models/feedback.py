from django.db import models
from django.utils.timezone import now

from chat.models.messages import Message


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
