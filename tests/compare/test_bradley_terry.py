"""The Bradley–Terry fit and its bootstrap interval on a worked example, checked
by hand (a closed form) and by a second method (the likelihood's score
equations, which the maximum must satisfy)."""

import math

import pytest

from chat.compare.bradley_terry import elo, fit, interval, pairs_of

# a beats b 6 to 2 and c 3 to 1; b and c split 4 to 4.
ROWS = [
    (("a", "b"), "winner", "a", 6), (("a", "b"), "winner", "b", 2),
    (("a", "c"), "winner", "a", 3), (("a", "c"), "winner", "c", 1),
    (("b", "c"), "winner", "b", 4), (("b", "c"), "winner", "c", 4),
]  # fmt: skip


def test_the_fit_matches_the_worked_example_by_hand():
    # By symmetry p_b = p_c = q; a's score equation 9 = 8 p/(p+q) + 4 p/(p+q)
    # gives p/(p+q) = 3/4, so p = 3q. a met the others 12 times, b 16 and c 12:
    # the weighted geometric mean (3q)^12 q^16 q^12 = 1 gives q = 3^(-12/40).
    q = 3 ** (-12 / 40)
    strength = fit(pairs_of(ROWS), prior_ties=0)
    assert strength["a"] == pytest.approx(3 * q, rel=1e-6)
    assert strength["b"] == pytest.approx(q, rel=1e-6)
    assert strength["c"] == pytest.approx(q, rel=1e-6)
    assert elo(strength["a"]) - elo(strength["b"]) == pytest.approx(400 * math.log10(3), rel=1e-6)


def test_the_fit_satisfies_the_score_equations_of_the_likelihood():
    # A second method: at the maximum of the likelihood each model's expected
    # wins equal its wins, sum_j n_ij p_i / (p_i + p_j) = W_i.
    rows = [*ROWS, (("a", "b", "c"), "winner", "c", 2), (("a", "b"), "tie", "", 3)]
    pairs = pairs_of(rows)
    strength = fit(pairs, prior_ties=0)
    for model in strength:
        wins = expected = 0.0
        for (i, j), (i_wins, j_wins) in pairs.items():
            if model in (i, j):
                other = j if model == i else i
                wins += i_wins if model == i else j_wins
                p, o = strength[model], strength[other]
                expected += (i_wins + j_wins) * p / (p + o)
        assert expected == pytest.approx(wins, rel=1e-6), model


def test_a_pick_among_three_is_a_win_over_each_other_and_both_bad_half_each_way():
    pairs = pairs_of([(("a", "b", "c"), "winner", "b", 1), (("a", "b"), "both_bad", "", 2)])
    # Picking b says nothing of a against c.
    assert pairs == {("a", "b"): [1.0, 2.0], ("b", "c"): [1.0, 0.0]}


def test_two_models_reduce_to_the_ratio_of_their_wins():
    strength = fit(pairs_of([(("x", "y"), "winner", "x", 30), (("x", "y"), "winner", "y", 10)]), 0)
    assert strength["x"] / strength["y"] == pytest.approx(3.0, rel=1e-6)


def test_the_interval_holds_the_estimate_and_narrows_with_more_picks():
    few = interval(ROWS)
    many = interval([(m, o, w, n * 25) for m, o, w, n in ROWS])
    estimate = {m: elo(p) for m, p in fit(pairs_of(ROWS)).items()}
    for model in "abc":
        assert few[model][0] <= estimate[model] <= few[model][1]
        assert many[model][1] - many[model][0] < (few[model][1] - few[model][0]) / 2


def test_six_lucky_votes_do_not_top_a_table_of_many():
    # "new" won all of its six picks against "mid"; "old" won 300 of 400.
    rows = [
        (("new", "mid"), "winner", "new", 6),
        (("old", "mid"), "winner", "old", 300), (("old", "mid"), "winner", "mid", 100),
    ]  # fmt: skip
    bounds = interval(rows)
    assert bounds["new"][1] - bounds["new"][0] > 3 * (bounds["old"][1] - bounds["old"][0])
    # The table is ordered by the interval's low end: "old" comes first.
    assert bounds["new"][0] < bounds["old"][0]
