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
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.timezone import now
from django.utils.translation import gettext, ngettext

from chat.models import Bucket, Message, RunItem
from chat.refusals import Refusal

MINUTE, DAY = 60, 24 * 60 * 60


@dataclass(frozen=True)
class Rate:
    setting: str
    period: int  # seconds in which `capacity` tokens come back
    refusal: Callable[[int, str], str]  # (capacity, wait_text) -> the sentence

    @property
    def capacity(self):
        return getattr(settings, self.setting)


# Whole sentences, so that each language can say them its own way.
def _messages_refusal(capacity, wait):
    return ngettext(
        "You can start %(count)s message a minute; try again in %(wait)s.",
        "You can start %(count)s messages a minute; try again in %(wait)s.",
        capacity,
    ) % {"count": capacity, "wait": wait}


def _uploads_refusal(capacity, wait):
    return ngettext(
        "You can upload %(count)s image a minute; try again in %(wait)s.",
        "You can upload %(count)s images a minute; try again in %(wait)s.",
        capacity,
    ) % {"count": capacity, "wait": wait}


def _upload_bytes_refusal(capacity, wait):
    size = f"{capacity / (1024 * 1024):.1f} MB"
    return gettext("You can upload %(size)s a day; try again in %(wait)s.") % {
        "size": size,
        "wait": wait,
    }


def _url_fetches_refusal(capacity, wait):
    return ngettext(
        "You can fetch %(count)s image URL a minute; try again in %(wait)s.",
        "You can fetch %(count)s image URLs a minute; try again in %(wait)s.",
        capacity,
    ) % {"count": capacity, "wait": wait}


RATES = {
    "messages": Rate("LIMIT_MESSAGES_PER_MINUTE", MINUTE, _messages_refusal),
    "uploads": Rate("LIMIT_UPLOADS_PER_MINUTE", MINUTE, _uploads_refusal),
    "upload_bytes": Rate("LIMIT_UPLOAD_BYTES_PER_DAY", DAY, _upload_bytes_refusal),
    "url_fetches": Rate("LIMIT_URL_FETCHES_PER_MINUTE", MINUTE, _url_fetches_refusal),
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
        return ngettext("%(count)s second", "%(count)s seconds", seconds) % {"count": seconds}
    if seconds < 90 * 60:
        minutes = math.ceil(seconds / 60)
        return gettext("%(count)s minutes") % {"count": minutes}  # never fewer than 2
    return gettext("%(count)s hours") % {"count": math.ceil(seconds / 3600)}


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
            raise LimitReached(
                rate.refusal(capacity, wait_text(retry_after)), retry_after=retry_after
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
        values = {"starting": starting, "limit": limit, "streaming": streaming}
        if not streaming:
            sentence = gettext(
                "A comparison of %(starting)s models streams %(starting)s answers at once; "
                "you may stream %(limit)s at a time: compare fewer models or wait for an "
                "answer to finish."
            )
        else:
            sentence = ngettext(
                "A comparison of %(starting)s models streams %(starting)s answers at once; "
                "you may stream %(limit)s at a time and %(streaming)s is streaming: compare "
                "fewer models or wait for an answer to finish.",
                "A comparison of %(starting)s models streams %(starting)s answers at once; "
                "you may stream %(limit)s at a time and %(streaming)s are streaming: compare "
                "fewer models or wait for an answer to finish.",
                streaming,
            )
        raise LimitReached(sentence % values, retry_after=5)
    if streaming >= limit:
        sending = RunItem.objects.filter(run__owner=user, status=RunItem.Status.RUNNING).count()
        if sending:
            raise LimitReached(
                gettext(
                    "You may stream %(limit)s answers at once, and your runs are sending "
                    "%(sending)s of their pages or images now: wait for one to finish, or stop "
                    "the run."
                )
                % {"limit": limit, "sending": sending},
                retry_after=5,
            )
        sentence = ngettext(
            "%(limit)s of your answer is still streaming, the most at once: "
            "wait for one to finish or stop it.",
            "%(limit)s of your answers are still streaming, the most at once: "
            "wait for one to finish or stop it.",
            limit,
        )
        raise LimitReached(sentence % {"limit": limit}, retry_after=5)


def take_turn(user, answers=1):
    """Before a message is stored: the streaming limit for its `answers`, then
    the message rate."""
    check_streaming(user, answers)
    take(user, "messages")
