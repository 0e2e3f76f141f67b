"""The record of each dataset export: what was asked, what went in, what was left out and why."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.timezone import now
from django.utils.translation import gettext, gettext_lazy


class DatasetExport(models.Model):
    """One dataset made from the conversation list, with its report: what was
    kept, and each example left out with the rule that dropped it."""

    class Kind(models.TextChoices):
        SFT = "sft", gettext_lazy("supervised fine-tuning JSONL")
        PREFERENCES = "preferences", gettext_lazy("preference pairs JSONL")
        IMAGEFOLDER = "imagefolder", gettext_lazy("image folder (zip)")
        EVAL = "eval", gettext_lazy("evaluation set JSONL")

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
        return gettext("%(kind)s of %(when)s") % {
            "kind": self.get_kind_display(), "when": f"{self.created:%Y-%m-%d %H:%M}"}  # fmt: skip
