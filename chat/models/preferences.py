from django.conf import settings
from django.db import models


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
    # Compare with the names hidden until the pick (the switch next to Compare).
    compare_blind = models.BooleanField(default=False)

    def __str__(self):
        return f"preferences of {self.user_id}"

    @classmethod
    def of(cls, user):
        return cls.objects.get_or_create(user=user)[0]
