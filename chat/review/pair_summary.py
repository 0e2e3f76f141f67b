"""The summary's figures for comparisons judged blind by reviewers: how often
reviewers agree with the person's own pick, and with each other, as percent
and Cohen's kappa (agreement.cohen_kappa, the one the rubric's categories use).

A person's "both bad" counts as a tie (neither answer preferred). A judgement
whose person picked a third column, or whose pick is gone, has no pick to agree with.
"""

from collections import defaultdict
from dataclasses import dataclass

from chat.models import Pick
from chat.review import pairs
from chat.review.agreement import cohen_kappa
from chat.review.models import PairJudgment


@dataclass
class PairAgreement:
    pairs: int
    agreed: int
    percent: float | None
    kappa: float | None


def _measure(units):
    """Agreement over every pair of values within each unit (the earlier first)."""
    count, kappa = cohen_kappa(units)
    if not count:
        return PairAgreement(0, 0, None, None)
    agreed = sum(a == b for values in units for i, a in enumerate(values) for b in values[i + 1 :])
    return PairAgreement(count, agreed, 100 * agreed / count, kappa)


def summarise(period):
    judgments = list(
        period.filter(PairJudgment.objects.select_related("item")).order_by("created", "id")
    )
    comparisons = {j.item.comparison_id for j in judgments}
    picks = {p.comparison_id: p for p in Pick.objects.filter(comparison__in=comparisons)}
    with_users, by_item = [], defaultdict(list)
    for judgment in judgments:
        users = pairs.users_value(judgment.item, picks.get(judgment.item.comparison_id))
        if users is not None:
            with_users.append([users, judgment.value])  # the person as rater A
        by_item[judgment.item_id].append(judgment.value)
    return {
        "judgments": len(judgments),
        "with_users": _measure(with_users),
        "between_reviewers": _measure(list(by_item.values())),
    }
