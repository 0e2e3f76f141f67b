"""Agreement between reviewers on approve/flag: percent and Cohen's kappa.

Every pair of decisions on the same conversation is one paired observation
(the earlier decision as rater A, the later as rater B), so K reviews of a
conversation give K·(K-1)/2 pairs.
"""

from dataclasses import dataclass
from itertools import combinations

from django.db.models import Count


@dataclass
class Agreement:
    pairs: int
    agreed: int
    percent: float | None
    kappa: float | None


def agreement(decisions_by_conversation):
    """`decisions_by_conversation`: lists of "approve"/"flag", each in the order given."""
    table = {("approve", "approve"): 0, ("approve", "flag"): 0,
             ("flag", "approve"): 0, ("flag", "flag"): 0}  # fmt: skip
    for values in decisions_by_conversation:
        for pair in combinations(values, 2):
            table[pair] += 1
    pairs = sum(table.values())
    if not pairs:
        return Agreement(0, 0, None, None)
    agreed = table["approve", "approve"] + table["flag", "flag"]
    observed = agreed / pairs
    a_approve = (table["approve", "approve"] + table["approve", "flag"]) / pairs
    b_approve = (table["approve", "approve"] + table["flag", "approve"]) / pairs
    expected = a_approve * b_approve + (1 - a_approve) * (1 - b_approve)
    kappa = None if expected == 1 else (observed - expected) / (1 - expected)
    return Agreement(pairs, agreed, 100 * observed, kappa)


def disagreements(queryset):
    """Conversations whose reviewers' decisions differ."""
    return queryset.annotate(values=Count("decisions__value", distinct=True)).filter(values__gt=1)
