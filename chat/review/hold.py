"""Holding a queued conversation open while its reviewers disagree: with
REVIEW_HOLD_BELOW_AGREEMENT set (percent), a conversation whose reviewers
agree less than that once the reviews it needed are in asks for one more,
up to REVIEW_HOLD_MAX_REVIEWS."""

from collections import defaultdict
from itertools import combinations

from django.conf import settings

from chat.review.models import Score, Verdict


def conversation_agreement(conversation):
    """(pairs, percent agreeing) over every pair of judgements of the same
    thing by two reviewers: the decisions, each answer's verdicts, and each
    answer's scores on each dimension."""
    units = [list(conversation.decisions.values_list("value", flat=True))]
    verdicts = defaultdict(list)
    for message, value in Verdict.objects.filter(message__conversation=conversation).values_list(
        "message", "value"
    ):
        verdicts[message].append(value)
    scores = defaultdict(list)
    for message, dimension, value in Score.objects.filter(
        message__conversation=conversation
    ).values_list("message", "dimension", "value"):
        scores[message, dimension].append(value)
    units += [*verdicts.values(), *scores.values()]
    pairs = [pair for values in units for pair in combinations(values, 2)]
    if not pairs:
        return 0, None
    return len(pairs), 100 * sum(a == b for a, b in pairs) / len(pairs)


def needs_another(conversation, item):
    """Should `item`, which has the reviews it asked for, wait for one more?"""
    threshold = settings.REVIEW_HOLD_BELOW_AGREEMENT
    if not threshold or item.reviews_needed >= settings.REVIEW_HOLD_MAX_REVIEWS:
        return None
    pairs, percent = conversation_agreement(conversation)
    if pairs and percent < threshold:
        return percent
    return None
