"""The Bradley–Terry model of pairwise picks, and its bootstrap interval.

Each model i has a strength p_i; the chance that i beats j is p_i / (p_i + p_j).
The strengths that make the picks most likely are found by the MM algorithm
(Hunter 2004, "MM algorithms for generalized Bradley–Terry models"):

    p_i  <-  W_i / sum_j n_ij / (p_i + p_j)

where W_i is i's wins (a tie counts half a win to each) and n_ij the picks
between i and j, until no strength moves by more than TOLERANCE. Each pair
that met is also given PRIOR_TIES virtual ties (two wins each way), which
pull a model with few picks towards the others: one that won all of its six
picks gets a large but finite strength, not an infinite one, and a wide
interval. Strengths are shown on the Elo scale, 1000 + 400 log10(p_i / g),
g the geometric mean of the strengths weighted by each model's picks (so a
model with few picks barely moves the others' numbers).
"""

import math
import random
from collections import defaultdict

TOLERANCE = 1e-9
# A resample starts from the whole fit and stops sooner: its Elo-scale number
# moves by less than 0.001 below this.
BOOTSTRAP_TOLERANCE = 1e-6
MAX_ROUNDS = 10_000
PRIOR_TIES = 4.0
BOOTSTRAP_ROUNDS = 200
# A fixed seed: the same picks give the same intervals on every load.
SEED = 2026


def pairs_of(rows):
    """{(i, j): [wins of i over j, wins of j over i]} (i < j) from pick rows
    (models, outcome, winner, count): a pick among 3 is a win over each of the
    other two; a tie or "both bad" half a win each way for every pair."""
    pairs = defaultdict(lambda: [0.0, 0.0])
    for models, outcome, winner, count in rows:
        for a_index, a in enumerate(models):
            for b in models[a_index + 1 :]:
                i, j = sorted((a, b))
                if outcome == "winner" and winner in (i, j):
                    pairs[(i, j)][0 if winner == i else 1] += count
                elif outcome != "winner":
                    pairs[(i, j)][0] += count / 2
                    pairs[(i, j)][1] += count / 2
    return dict(pairs)


def fit(pairs, prior_ties=PRIOR_TIES, *, start=None, tolerance=TOLERANCE):
    """{model: strength p} (weighted geometric mean 1) from `pairs_of`'s counts."""
    models = sorted({m for pair in pairs for m in pair})
    if not models:
        return {}
    wins, meetings = defaultdict(float), defaultdict(dict)
    weight = defaultdict(float)  # picks per model, for the scale's centre
    for (i, j), (i_wins, j_wins) in pairs.items():
        i_wins, j_wins = i_wins + prior_ties / 2, j_wins + prior_ties / 2
        wins[i] += i_wins
        wins[j] += j_wins
        meetings[i][j] = meetings[j][i] = i_wins + j_wins
        weight[i] += i_wins + j_wins
        weight[j] += i_wins + j_wins
    strength = {model: (start or {}).get(model, 1.0) for model in models}
    for _ in range(MAX_ROUNDS):
        updated = {
            i: wins[i] / sum(n / (strength[i] + strength[j]) for j, n in meetings[i].items())
            for i in models
        }
        centre = sum(weight[i] * math.log(p) for i, p in updated.items()) / sum(weight.values())
        scale = math.exp(centre)
        updated = {i: p / scale for i, p in updated.items()}
        moved = max(abs(updated[i] - strength[i]) for i in models)
        strength = updated
        if moved < tolerance:
            break
    return strength


def elo(strength):
    return 1000 + 400 * math.log10(strength)


def _poisson(generator, mean):
    """A Poisson draw: Knuth's product of uniforms for small means, the normal
    approximation (rounded, at least 0) for large ones."""
    if mean > 30:
        return max(0, round(generator.gauss(mean, math.sqrt(mean))))
    limit, k, product = math.exp(-mean), 0, generator.random()
    while product > limit:
        k += 1
        product *= generator.random()
    return k


def interval(rows, rounds=BOOTSTRAP_ROUNDS, seed=SEED):
    """{model: (low, high)}, the 2.5th and 97.5th percentiles of the Elo-scale
    strength over `rounds` bootstrap resamples of the picks.

    The picks come grouped (rows of identical picks with their count), so a
    resample draws each group's count anew: the Poisson bootstrap, which for
    many picks is the ordinary one (resampling picks with replacement) and
    costs a draw per group instead of one per pick."""
    generator = random.Random(seed)
    samples = defaultdict(list)
    whole = fit(pairs_of(rows))
    for _ in range(rounds):
        resampled = [
            (models, outcome, winner, _poisson(generator, count))
            for models, outcome, winner, count in rows
        ]
        pairs = pairs_of([row for row in resampled if row[3]])
        for model, strength in fit(pairs, start=whole, tolerance=BOOTSTRAP_TOLERANCE).items():
            samples[model].append(elo(strength))
    bounds = {}
    for model, values in samples.items():
        values.sort()
        # A model missing from some resamples (all its picks drawn 0 times) is
        # bounded by those where it took part.
        low = values[int(0.025 * (len(values) - 1))]
        high = values[math.ceil(0.975 * (len(values) - 1))]
        bounds[model] = (low, high)
    return bounds
