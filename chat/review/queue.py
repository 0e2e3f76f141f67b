"""The review queue: conversations in by rule, out to one reviewer at a time.

"Next" locks candidate rows with SELECT ... FOR UPDATE SKIP LOCKED, so two
reviewers pressing it together on PostgreSQL get different items; on SQLite
the write transaction (IMMEDIATE) serialises them instead.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.timezone import now

from chat.models import Conversation, Message
from chat.review import hold
from chat.review.models import Activity, QueueItem


def add(conversation_id, reason):
    """Put a conversation in the queue unless it is there already (done or not)."""
    QueueItem.objects.get_or_create(
        conversation_id=conversation_id,
        defaults={"reason": reason, "reviews_needed": settings.REVIEW_REQUIRED_REVIEWS},
    )


def add_many(conversation_ids, reason):
    """Queue many at once; returns how many were new to the queue."""
    ids = set(conversation_ids)
    present = set(
        QueueItem.objects.filter(conversation_id__in=ids).values_list("conversation_id", flat=True)
    )
    QueueItem.objects.bulk_create(
        [
            QueueItem(
                conversation_id=pk, reason=reason, reviews_needed=settings.REVIEW_REQUIRED_REVIEWS
            )
            for pk in ids - present
        ],
        ignore_conflicts=True,
    )
    return len(ids - present)


def refill():
    """Catch failed answers that ended without a save() or a signal (a bulk update
    by hand, say); the sweep's interrupted answers are queued as they are marked."""
    failed = Message.objects.filter(conversation=OuterRef("pk"), status=Message.Status.ERROR)
    missing = Conversation.objects.filter(Exists(failed), queue_item=None).values_list(
        "pk", flat=True
    )
    return add_many(list(missing), QueueItem.Reason.FAILED)


def open_items():
    return QueueItem.objects.filter(done=None)


def claim_next(reviewer):
    """The reviewer's current claim, or the next free item claimed for them, or None.

    Unreviewed first, then oldest first; never one the reviewer already
    decided, and the ones they skipped only after every other.
    """
    refill()
    moment = now()
    until = moment + timedelta(minutes=settings.REVIEW_CLAIM_MINUTES)
    with transaction.atomic():
        mine = (
            open_items()
            .select_for_update(skip_locked=True)
            .filter(claimed_by=reviewer, claimed_until__gt=moment)
            .first()
        )
        if mine:
            return mine
        free = (
            open_items()
            .filter(Q(claimed_by=None) | Q(claimed_until__lte=moment))
            .exclude(conversation__decisions__reviewer=reviewer)
        )
        for candidates in (free.exclude(skipped_by=reviewer), free.filter(skipped_by=reviewer)):
            item = (
                candidates.select_for_update(skip_locked=True, of=("self",))
                .order_by("reviews_done", "created", "pk")
                .first()
            )
            if item:
                item.claimed_by, item.claimed_until = reviewer, until
                item.save(update_fields=["claimed_by", "claimed_until"])
                return item
    return None


def skip(item, reviewer):
    """Give the item back: free for others, last in line for this reviewer."""
    with transaction.atomic():
        released = QueueItem.objects.filter(pk=item.pk, claimed_by=reviewer).update(
            claimed_by=None, claimed_until=None
        )
        if released:
            item.skipped_by.add(reviewer)
    return bool(released)


def complete(conversation, reviewer):
    """A reviewer decided: count it on the queue item, release it, and close it
    once it has the reviews it needs."""
    with transaction.atomic():
        item = QueueItem.objects.select_for_update().filter(conversation=conversation).first()
        if item is None or item.done:
            return item
        item.reviews_done = conversation.decisions.count()
        if item.claimed_by_id == reviewer.pk:
            item.claimed_by, item.claimed_until = None, None
        if item.reviews_done >= item.reviews_needed:
            percent = hold.needs_another(conversation, item)
            if percent is None:
                item.done = now()
            else:
                item.reviews_needed += 1
                Activity.objects.create(
                    conversation=conversation, actor=reviewer, action="held open",
                    value=f"agreement {percent:.0f}% is below "
                    f"{settings.REVIEW_HOLD_BELOW_AGREEMENT}%: one more review",
                )  # fmt: skip
        item.save(
            update_fields=["reviews_done", "reviews_needed", "claimed_by", "claimed_until", "done"]
        )
    return item
