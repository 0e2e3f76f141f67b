"""Agreement between reviewers on approve/flag: percent and Cohen's kappa.

Every pair of decisions on the same conversation is one paired observation
(the earlier decision as rater A, the later as rater B), so K reviews of a
conversation give K·(K-1)/2 pairs.
"""

from collections import Counter
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


@dataclass
class DimensionAgreement:
    """Agreement on one score dimension: `items` answers scored by two or more."""

    method: str  # "Cohen's κ" or "Krippendorff's α (ordinal)"
    items: int
    pairs: int
    value: float | None


def cohen_kappa(units):
    """Cohen's kappa over every pair of ratings of the same item (the earlier as
    rater A, the later as rater B), any number of categories. `units`: lists of
    values, each in the order given. Returns (pairs, kappa or None)."""
    pairs = [pair for values in units for pair in combinations(values, 2)]
    if not pairs:
        return 0, None
    observed = sum(a == b for a, b in pairs) / len(pairs)
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / len(pairs) ** 2
    if expected == 1:
        return len(pairs), None
    return len(pairs), (observed - expected) / (1 - expected)


def krippendorff_alpha_ordinal(units):
    """Krippendorff's alpha with the ordinal metric (Krippendorff 2011,
    "Computing Krippendorff's alpha-reliability"): values are ranks (1-5);
    units with fewer than two values are not pairable and left out."""
    units = [values for values in units if len(values) > 1]
    coincidences = Counter()
    for values in units:
        weight = 1 / (len(values) - 1)
        for i, c in enumerate(values):
            for j, k in enumerate(values):
                if i != j:
                    coincidences[c, k] += weight
    totals = Counter()
    for (c, _), o in coincidences.items():
        totals[c] += o
    n = sum(totals.values())
    if n <= 1:
        return None
    ranks = sorted(totals)

    def delta(c, k):
        low, high = min(c, k), max(c, k)
        between = sum(totals[g] for g in ranks if low <= g <= high)
        return (between - (totals[c] + totals[k]) / 2) ** 2

    observed = sum(o * delta(c, k) for (c, k), o in coincidences.items())
    expected = sum(totals[c] * totals[k] * delta(c, k) for c in ranks for k in ranks)
    if expected == 0:
        return None
    return 1 - (n - 1) * observed / expected


def per_dimension(kind, units):
    """The agreement a dimension's kind calls for, over `units` (lists of values)."""
    pairable = [values for values in units if len(values) > 1]
    if kind == "scale":
        ranks = [[int(v) for v in values] for values in pairable]
        pairs = sum(len(v) * (len(v) - 1) // 2 for v in ranks)
        return DimensionAgreement(
            "Krippendorff's α (ordinal)", len(ranks), pairs, krippendorff_alpha_ordinal(ranks)
        )
    pairs, kappa = cohen_kappa(pairable)
    return DimensionAgreement("Cohen's κ", len(pairable), pairs, kappa)
