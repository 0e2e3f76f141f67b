"""A run as its page sees it (and polls it): the progress, an estimate of the
time left, and a row per item."""

from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext as _

from chat import extraction
from chat.models import Run, RunItem


def state(run, counts):
    if counts[RunItem.Status.PENDING] or counts[RunItem.Status.RUNNING]:
        return "stopping" if run.stopped else "running"
    return "stopped" if run.stopped else "finished"


STATE_LABELS = {
    "running": lambda: _("Running"),
    "stopping": lambda: _("Stopping"),
    "stopped": lambda: _("Stopped"),
    "finished": lambda: _("Finished"),
}


def seconds_left(items, left):
    """The time left at the pace so far: seconds from the first start to the
    latest end, per item ended, times the items left; None before any ended."""
    ended = [i for i in items if i.status in (RunItem.Status.DONE, RunItem.Status.FAILED)]
    if not left or not ended:
        return None
    first = min(i.started for i in ended if i.started)
    last = max(i.finished for i in ended if i.finished)
    pace = max((last - first).total_seconds(), 0.0) / len(ended)
    return round(pace * left)


def extracted(item):
    """The item's answer validated against its run's schema, or None (no
    schema, or no answer yet)."""
    if not item.run.schema or item.status != RunItem.Status.DONE:
        return None
    return extraction.validate(item.run.schema, item.answer)


def item_payload(item):
    result = extracted(item)
    return {
        # With a schema: the fields in the schema's order, and what failed, by field.
        "fields": result and result.cells(),
        "errors": result and result.errors,
        "position": item.position,
        "status": item.status,
        "status_label": item.get_status_display(),
        "answer": item.answer,
        "error": item.error,
        "prompt_tokens": item.prompt_tokens,
        "completion_tokens": item.completion_tokens,
        "seconds": None if item.seconds is None else round(item.seconds, 2),
        "attempts": item.attempts,
        "page": item.image.page,
        "name": item.image.name,
        "thumbnail": reverse("chat-image-thumbnail", args=[item.image.code]),
        "retry": reverse("runs-retry-item", args=[item.run.code, item.position])
        if item.status in (RunItem.Status.FAILED, RunItem.Status.STOPPED)
        else None,
    }


def run_payload(run):
    items = list(run.items.select_related("image", "run").order_by("position"))
    counts = {status: 0 for status in RunItem.Status.values}
    for item in items:
        counts[item.status] += 1
    left = counts[RunItem.Status.PENDING] + counts[RunItem.Status.RUNNING]
    current = state(run, counts)
    return {
        "code": str(run.code),
        "prompt": run.prompt,
        "model": run.model,
        "fields": extraction.fields_of(run.schema) if run.schema else None,
        "state": current,
        "state_label": STATE_LABELS[current](),
        "total": len(items),
        "done": counts[RunItem.Status.DONE],
        "failed": counts[RunItem.Status.FAILED],
        "stopped": counts[RunItem.Status.STOPPED],
        "running": counts[RunItem.Status.RUNNING],
        "left": left,
        "seconds_left": seconds_left(items, left),
        "updated": now().isoformat(),
        "items": [item_payload(item) for item in items],
    }


def run_summary(run: Run):
    counts = run.counts()
    return {
        "code": str(run.code),
        "url": reverse("runs-run", args=[run.code]),
        "prompt": run.prompt,
        "model": run.model,
        "created": run.created,
        "total": sum(counts.values()),
        "done": counts[RunItem.Status.DONE],
        "state": state(run, counts),
        "state_label": STATE_LABELS[state(run, counts)](),
    }
