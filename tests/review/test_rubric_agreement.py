"""Agreement per score dimension, on small examples worked out by hand."""

import pytest

from chat.review.agreement import cohen_kappa, krippendorff_alpha_ordinal, per_dimension


def test_cohens_kappa_on_yes_no_worked_by_hand():
    # Four answers, two reviewers each: (yes, yes), (yes, no), (no, no), (yes, yes).
    # Observed agreement 3/4. Rater A said yes 3/4, rater B 2/4, so chance
    # agreement is 3/4·2/4 + 1/4·2/4 = 1/2, and κ = (3/4 − 1/2) / (1 − 1/2) = 1/2.
    pairs, kappa = cohen_kappa([["yes", "yes"], ["yes", "no"], ["no", "no"], ["yes", "yes"]])

    assert pairs == 4 and kappa == pytest.approx(0.5)


def test_cohens_kappa_on_three_categories_worked_by_hand():
    # (a, a), (b, b), (a, b), (c, c), (b, b), (c, a): 4 of 6 agree.
    # A: a 2, b 2, c 2; B: a 2, b 3, c 1 (of 6). Chance = (2·2 + 2·3 + 2·1) / 36 = 1/3.
    # κ = (2/3 − 1/3) / (1 − 1/3) = 1/2.
    units = [["a", "a"], ["b", "b"], ["a", "b"], ["c", "c"], ["b", "b"], ["c", "a"]]

    assert cohen_kappa(units) == (6, pytest.approx(0.5))


def test_krippendorffs_alpha_ordinal_worked_by_hand():
    # Three answers scored by two reviewers: (1, 1), (2, 3), (3, 3).
    # Coincidences: o11 = 2, o23 = o32 = 1, o33 = 2; n1 = 2, n2 = 1, n3 = 3, n = 6.
    # Ordinal δ²: δ12 = (2 + 1 − 3/2)² = 2.25, δ13 = (6 − 5/2)² = 12.25, δ23 = (4 − 2)² = 4.
    # D_o = (1/6)(1·4 + 1·4) = 4/3; D_e = (2/30)(2·1·2.25 + 2·3·12.25 + 1·3·4) = 6.
    # α = 1 − (4/3)/6 = 7/9.
    alpha = krippendorff_alpha_ordinal([[1, 1], [2, 3], [3, 3]])

    assert alpha == pytest.approx(7 / 9)


def test_alpha_is_one_when_everyone_agrees_and_leaves_out_single_scores():
    assert krippendorff_alpha_ordinal([[2, 2], [4, 4, 4], [5]]) == pytest.approx(1.0)


def test_alpha_is_undefined_when_every_score_is_the_same():
    assert krippendorff_alpha_ordinal([[3, 3], [3, 3]]) is None


def test_per_dimension_picks_the_measure_and_counts_the_items():
    scale = per_dimension("scale", [["1", "1"], ["2", "3"], ["3", "3"], ["5"]])
    yes_no = per_dimension("yes_no", [["yes", "yes"], ["yes", "no"], ["no", "no"], ["yes", "yes"]])

    assert (scale.method, scale.items, scale.pairs) == ("Krippendorff's α (ordinal)", 3, 3)
    assert scale.value == pytest.approx(7 / 9)
    assert (yes_no.method, yes_no.items, yes_no.value) == ("Cohen's κ", 4, pytest.approx(0.5))
