from django.conf import settings
from django.db import models
from django.utils.timezone import now


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
