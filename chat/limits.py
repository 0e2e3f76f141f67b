"""Per-user limits on what costs money or disk, each with a sentence saying
when to try again.

Rates (messages started, uploads and their bytes, image URL fetches) are
token buckets: a Bucket row per user and limit holds the tokens left, refilled
continuously at capacity per period, and is taken from under a row lock, so
every process shares it. The number of answers streaming at once is counted
from the messages themselves. A capacity of 0 switches a limit off.

    take(user, "uploads")                    # raises LimitReached when empty
    take(user, "upload_bytes", amount=size)
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.timezone import now

from chat.models import Bucket, Message, RunItem
from chat.refusals import Refusal

MINUTE, DAY = 60, 24 * 60 * 60


@dataclass(frozen=True)
class Rate:
    setting: str
    period: int  # seconds in which `capacity` tokens come back
    sentence: str  # with {amount}
    unit: str  # what one token is; "" for bytes

    @property
    def capacity(self):
        return getattr(settings, self.setting)

    def amount(self):
        if not self.unit:
            return f"{self.capacity / (1024 * 1024):.1f} MB"
        return f"{self.capacity} {self.unit}{'' if self.capacity == 1 else 's'}"


RATES = {
    "messages": Rate(
        "LIMIT_MESSAGES_PER_MINUTE", MINUTE, "You can start {amount} a minute", "message"
    ),
    "uploads": Rate(
        "LIMIT_UPLOADS_PER_MINUTE", MINUTE, "You can upload {amount} a minute", "image"
    ),
    "upload_bytes": Rate("LIMIT_UPLOAD_BYTES_PER_DAY", DAY, "You can upload {amount} a day", ""),
    "url_fetches": Rate(
        "LIMIT_URL_FETCHES_PER_MINUTE", MINUTE, "You can fetch {amount} a minute", "image URL"
    ),
}


class LimitReached(Refusal):
    """`message` is a sentence for the user; `retry_after` whole seconds."""

    def __init__(self, message, *, retry_after):
        super().__init__(message, code="rate_limited")
        self.retry_after = retry_after

    @property
    def details(self):
        return {"retry_after": self.retry_after}


def wait_text(seconds):
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    if seconds < 90 * 60:
        return f"{math.ceil(seconds / 60)} minutes"
    return f"{math.ceil(seconds / 3600)} hours"


def take(user, name, amount=1):
    """Take `amount` tokens from the user's bucket `name`, or raise LimitReached."""
    rate = RATES[name]
    capacity = rate.capacity
    if not capacity:
        return
    per_second = capacity / rate.period
    with transaction.atomic():
        bucket = _locked_bucket(user, name, capacity)
        current = now()
        elapsed = (current - bucket.updated).total_seconds()
        level = min(capacity, bucket.level + max(0.0, elapsed) * per_second)
        if level < amount:
            # More than the bucket holds (one huge upload) waits for a full bucket.
            retry_after = max(1, math.ceil((min(amount, capacity) - level) / per_second))
            sentence = rate.sentence.format(amount=rate.amount())
            raise LimitReached(
                f"{sentence}; try again in {wait_text(retry_after)}.", retry_after=retry_after
            )
        bucket.level, bucket.updated = level - amount, current
        bucket.save(update_fields=["level", "updated"])


def _locked_bucket(user, name, capacity):
    bucket = Bucket.objects.select_for_update().filter(user=user, name=name).first()
    if bucket is None:
        try:
            with transaction.atomic():
                bucket = Bucket.objects.create(user=user, name=name, level=capacity)
        except IntegrityError:  # another request made it meanwhile
            bucket = Bucket.objects.select_for_update().get(user=user, name=name)
    return bucket


def streaming_count(user):
    """Answers streaming for `user`, and items of their runs being sent: both
    hold a gateway stream open."""
    answers = Message.objects.filter(conversation__owner=user, status=Message.Status.STREAMING)
    items = RunItem.objects.filter(run__owner=user, status=RunItem.Status.RUNNING)
    return answers.count() + items.count()


def check_streaming(user, starting=1):
    """Refuse `starting` new answers (a comparison starts 2 or 3) that would take
    the user over LIMIT_STREAMING_ANSWERS streaming at once."""
    limit = settings.LIMIT_STREAMING_ANSWERS
    if not limit:
        return
    streaming = streaming_count(user)
    if starting > 1 and streaming + starting > limit:
        raise LimitReached(
            f"A comparison of {starting} models streams {starting} answers at once; "
            f"you may stream {limit} at a time"
            + (
                f" and {streaming} {'is' if streaming == 1 else 'are'} streaming"
                if streaming
                else ""
            )
            + ": compare fewer models or wait for an answer to finish.",
            retry_after=5,
        )
    if streaming >= limit:
        sending = RunItem.objects.filter(run__owner=user, status=RunItem.Status.RUNNING).count()
        if sending:
            raise LimitReached(
                f"You may stream {limit} answers at once, and your runs are sending {sending} "
                f"of their pages or images now: wait for one to finish, or stop the run.",
                retry_after=5,
            )
        answers = "answer is" if limit == 1 else "answers are"
        raise LimitReached(
            f"{limit} of your {answers} still streaming, the most at once: "
            "wait for one to finish or stop it.",
            retry_after=5,
        )


def take_turn(user, answers=1):
    """Before a message is stored: the streaming limit for its `answers`, then
    the message rate."""
    check_streaming(user, answers)
    take(user, "messages")
