"""Runs: one prompt sent once per item (a document's pages, a selection of
images), each item its own gateway request, worked through on the server by
every serving process (chat/runs/). The items are the queue: a process claims
one by marking it running under a lease, and renews the lease while it works.
"""

import uuid
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.utils.timezone import now
from django.utils.translation import gettext_lazy as _


class Run(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="runs")
    prompt = models.TextField()
    model = models.CharField(max_length=100)
    # The document whose pages are the items, when it was started on one.
    document = models.ForeignKey(
        "chat.Document", models.SET_NULL, null=True, blank=True, related_name="runs"
    )
    # The JSON Schema each answer must fit (chat/extraction/), when fields are asked for.
    schema = models.JSONField(null=True, blank=True)
    created = models.DateTimeField(default=now)
    stopped = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created", "-id"]
        permissions = [("review_run", "Can review runs (each item's request and answer)")]

    def __str__(self):
        return f"run {self.code} of {self.owner_id}"

    def stop(self):
        """Stop the run: items not started yet will not be; running ones are
        stopped by the process working on them at its next lease renewal."""
        with transaction.atomic():
            self.stopped = now()
            self.save(update_fields=["stopped"])
            self.items.filter(status=RunItem.Status.PENDING).update(
                status=RunItem.Status.STOPPED, finished=now()
            )

    def counts(self):
        """{status: number of items}, every status present."""
        rows = self.items.order_by().values("status").annotate(n=models.Count("id"))
        found = {row["status"]: row["n"] for row in rows}
        return {status: found.get(status, 0) for status in RunItem.Status.values}


class RunItemQuerySet(models.QuerySet):
    def claimable(self):
        """Items a process may take: waiting, of a run not stopped."""
        return self.filter(status=RunItem.Status.PENDING, run__stopped=None)

    def lease_expired(self):
        """Running items whose process stopped renewing their lease (it died)."""
        return self.filter(status=RunItem.Status.RUNNING, claimed_until__lt=now())


class RunItem(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")
        STOPPED = "stopped", _("stopped")

    run = models.ForeignKey(Run, models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()  # 1-based, the row in the table
    image = models.ForeignKey("chat.ImageAttachment", models.CASCADE, related_name="run_items")
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)  # requests sent for this item
    # The request as sent, images named instead of inlined (for review).
    request = models.JSONField(null=True, blank=True)
    answer = models.TextField(blank=True)
    error_code = models.CharField(max_length=40, blank=True)
    error = models.TextField(blank=True)
    prompt_tokens = models.PositiveIntegerField(null=True, blank=True)
    completion_tokens = models.PositiveIntegerField(null=True, blank=True)
    started = models.DateTimeField(null=True, blank=True)
    finished = models.DateTimeField(null=True, blank=True)
    # Which process works on it, and until when its claim holds without renewal.
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)

    objects = RunItemQuerySet.as_manager()

    class Meta:
        ordering = ["run", "position"]
        constraints = [
            models.UniqueConstraint(fields=["run", "position"], name="run_item_position_unique")
        ]
        # The claim: pending items of a run, in order; and the streaming count per status.
        indexes = [models.Index(fields=["status", "run", "position"], name="run_item_claim")]

    def __str__(self):
        return f"item {self.position} of run {self.run_id}"

    @property
    def seconds(self):
        if self.started and self.finished and self.status != self.Status.STOPPED:
            return (self.finished - self.started).total_seconds()
        return None

    def claim(self, process, lease_seconds):
        self.status, self.claimed_by = self.Status.RUNNING, process
        self.claimed_until = now() + timedelta(seconds=lease_seconds)
        self.started, self.finished = now(), None
        self.answer = self.error = self.error_code = ""
        self.save(
            update_fields=[
                "status", "claimed_by", "claimed_until", "started", "finished",
                "answer", "error", "error_code",
            ]
        )  # fmt: skip

    def retry(self):
        """Put a failed or stopped item back in line (its run goes on if stopped)."""
        with transaction.atomic():
            RunItem.objects.filter(
                pk=self.pk, status__in=[self.Status.FAILED, self.Status.STOPPED]
            ).update(status=self.Status.PENDING, finished=None, claimed_by="", claimed_until=None)
            Run.objects.filter(pk=self.run_id).update(stopped=None)
