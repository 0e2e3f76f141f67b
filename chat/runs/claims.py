"""The run items as a queue that every serving process shares, through the
database alone (no broker): a claim marks an item running under a lease
(RUN_LEASE_SECONDS) in one transaction, taking it with `SELECT ... FOR UPDATE
SKIP LOCKED` on PostgreSQL so two processes never take the same item; the
process renews the lease while it works, and a lease that ran out (its
process died) puts the item back in line.

Per person, the claims are serialised on their user row, so the items sent at
once never exceed what LIMIT_STREAMING_ANSWERS leaves beside their streaming
answers, and each item takes a message from LIMIT_MESSAGES_PER_MINUTE: an
item over either limit waits, it does not fail.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.timezone import now

from chat import limits
from chat.models import Run, RunItem


def claim(process, wanted):
    """Claim up to `wanted` items for `process`; return them."""
    give_back_expired()
    claimed = []
    owners = (
        Run.objects.filter(stopped=None, items__status=RunItem.Status.PENDING)
        .order_by("owner_id")
        .values_list("owner_id", flat=True)
        .distinct()
    )
    for owner_id in owners:
        if len(claimed) >= wanted:
            break
        claimed += _claim_for(owner_id, process, wanted - len(claimed))
    return claimed


def _claim_for(owner_id, process, wanted):
    with transaction.atomic():
        owner = get_user_model().objects.select_for_update().filter(pk=owner_id).first()
        if owner is None:
            return []
        if settings.LIMIT_STREAMING_ANSWERS:
            wanted = min(wanted, settings.LIMIT_STREAMING_ANSWERS - limits.streaming_count(owner))
        if wanted <= 0:
            return []
        items = list(
            RunItem.objects.claimable()
            .filter(run__owner_id=owner_id)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("run")
            .order_by("run__created", "run_id", "position")[:wanted]
        )
        claimed = []
        for item in items:
            try:
                limits.take(owner, "messages")
            except limits.LimitReached:
                break  # the rest wait for the minute to refill
            item.claim(process, settings.RUN_LEASE_SECONDS)
            claimed.append(item)
        return claimed


def give_back_expired():
    """Items whose process stopped renewing their lease go back in line."""
    expired = RunItem.objects.lease_expired()
    # Read first: an UPDATE takes SQLite's write lock even when it matches nothing,
    # and every idle process asks every second.
    if not expired.exists():
        return 0
    return expired.update(status=RunItem.Status.PENDING, claimed_by="", claimed_until=None)


def renew(process, item_ids):
    """Extend `process`'s leases on `item_ids`; return the ids among them whose
    run was stopped meanwhile (the process stops sending them)."""
    if not item_ids:
        return []
    mine = RunItem.objects.filter(
        pk__in=item_ids, claimed_by=process, status=RunItem.Status.RUNNING
    )
    mine.update(claimed_until=now() + timedelta(seconds=settings.RUN_LEASE_SECONDS))
    lost = set(item_ids) - set(mine.values_list("pk", flat=True))
    stopped = set(mine.exclude(run__stopped=None).values_list("pk", flat=True))
    return sorted(lost | stopped)


def finish(item_id, process, status, **fields):
    """Store how the item ended, if `process` still holds it; True if it did."""
    return bool(
        RunItem.objects.filter(
            pk=item_id, claimed_by=process, status=RunItem.Status.RUNNING
        ).update(status=status, finished=now(), claimed_by="", claimed_until=None, **fields)
    )


def give_back(item_ids, process):
    """A stopping process hands back items it has not finished: sent again by
    another process (or this one restarted)."""
    return RunItem.objects.filter(
        pk__in=item_ids, claimed_by=process, status=RunItem.Status.RUNNING
    ).update(status=RunItem.Status.PENDING, claimed_by="", claimed_until=None, started=None)
