"""A person's saved extraction schemas: a name and the fields they list again
and again ("Receipt": Shop, Date, Total), picked in the composer."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now


class SavedSchema(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="schemas")
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100)
    # [{"name", "type"}] as the person listed them, and the JSON Schema made of
    # them (chat/extraction/schema_from_fields), checked when it was saved.
    fields = models.JSONField(default=list)
    schema = models.JSONField(default=dict)
    created = models.DateTimeField(default=now)

    class Meta:
        ordering = ["name"]
        constraints = [
            # The composer lists them by name: one of each per person.
            models.UniqueConstraint(fields=["owner", "name"], name="chat_savedschema_owner_name"),
        ]

    def __str__(self):
        return f"schema {self.name!r} of {self.owner_id}"
