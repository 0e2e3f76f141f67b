"""Comparisons judged by reviewers, blind: which pairs enter the queue (a share
of blind picks, every "both bad"), handing them out one reviewer at a time, the
order each reviewer sees them in, and the judgement.

A pair is two answers of one comparison: for a pick with a winner, the winner
and another column; else two of the columns. Reviewers never see the models
before they judge, and each sees the two answers in an order of their own
(random, fixed per reviewer and pair, so reloading the page does not swap them).
"""

import random
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.timezone import now
from django.utils.translation import gettext

from chat.models import Pick
from chat.review.models import PairItem, PairJudgment


def reason_for(pick):
    """Why `pick` should be judged by reviewers, or None."""
    if pick.outcome == Pick.Outcome.BOTH_BAD and settings.REVIEW_PAIR_BOTH_BAD:
        return PairItem.Reason.BOTH_BAD
    if pick.blind and random.random() * 100 < settings.REVIEW_PAIR_SAMPLE_PERCENT:
        return PairItem.Reason.SAMPLE
    return None


def add(pick, reason):
    """Queue the pair of `pick`'s comparison unless it is queued already."""
    columns = pick.comparison.columns()
    if len(columns) < 2:
        return None
    if pick.outcome == Pick.Outcome.WINNER and pick.winner_id:
        winner = next(c for c in columns if c.pk == pick.winner_id)
        pair = [winner, random.choice([c for c in columns if c is not winner])]
    else:
        pair = random.sample(columns, 2)
    item, _ = PairItem.objects.get_or_create(
        comparison=pick.comparison,
        defaults={"first": pair[0], "second": pair[1], "reason": reason,
                  "reviews_needed": settings.REVIEW_REQUIRED_REVIEWS},
    )  # fmt: skip
    return item


def first_shown_as_a(item, reviewer):
    """Whether `reviewer` sees the pair's first answer as "Answer A"."""
    return random.Random(f"pair {item.pk} for {reviewer.pk}").random() < 0.5


def shown(item, reviewer):
    """The two answers in the order `reviewer` sees them (A, B)."""
    if first_shown_as_a(item, reviewer):
        return item.first, item.second
    return item.second, item.first


def claim_next(reviewer):
    """The reviewer's current claim, or the next pair they have not judged,
    claimed for them (unjudged first, oldest first), or None."""
    moment = now()
    until = moment + timedelta(minutes=settings.REVIEW_CLAIM_MINUTES)
    with transaction.atomic():
        open_items = PairItem.objects.filter(done=None).exclude(judgments__reviewer=reviewer)
        mine = (
            open_items.select_for_update(skip_locked=True, of=("self",))
            .filter(claimed_by=reviewer, claimed_until__gt=moment)
            .first()
        )
        if mine:
            return mine
        item = (
            open_items.filter(Q(claimed_by=None) | Q(claimed_until__lte=moment))
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("reviews_done", "created", "pk")
            .first()
        )
        if item:
            item.claimed_by, item.claimed_until = reviewer, until
            item.save(update_fields=["claimed_by", "claimed_until"])
        return item


class JudgmentRefused(Exception):
    pass


def judge(item, reviewer, choice, reason=""):
    """Record `reviewer`'s judgement: "a", "b" (as they saw them) or "tie"."""
    as_a = first_shown_as_a(item, reviewer)
    value = {
        "a": PairJudgment.Value.FIRST if as_a else PairJudgment.Value.SECOND,
        "b": PairJudgment.Value.SECOND if as_a else PairJudgment.Value.FIRST,
        "tie": PairJudgment.Value.TIE,
    }.get(choice)
    if value is None:
        raise JudgmentRefused(gettext("Choose answer A, answer B or a tie."))
    try:
        with transaction.atomic():
            judgment = PairJudgment.objects.create(
                item=item, reviewer=reviewer, value=value, reason=reason[:500],
                first_shown_as_a=as_a,
            )  # fmt: skip
            locked = PairItem.objects.select_for_update().get(pk=item.pk)
            locked.reviews_done = locked.judgments.count()
            if locked.claimed_by_id == reviewer.pk:
                locked.claimed_by, locked.claimed_until = None, None
            if locked.reviews_done >= locked.reviews_needed and locked.done is None:
                locked.done = now()
            locked.save(update_fields=["reviews_done", "claimed_by", "claimed_until", "done"])
    except IntegrityError:
        raise JudgmentRefused(gettext("You have judged this pair already.")) from None
    return judgment


def users_value(item, pick):
    """The person's own pick as a judgement of the pair: "first", "second" or
    "tie" (a tie, or both bad: neither is preferred); None when they picked a
    third column, or have no pick."""
    if pick is None:
        return None
    if pick.outcome != Pick.Outcome.WINNER:
        return PairJudgment.Value.TIE
    if pick.winner_id == item.first_id:
        return PairJudgment.Value.FIRST
    if pick.winner_id == item.second_id:
        return PairJudgment.Value.SECOND
    return None
