"""The leaderboard: per model, wins, losses and ties over the blind picks, a
Bradley–Terry strength with its 95% bootstrap interval, the head-to-head
matrix, and the median first-token time and tokens per answer.

Two grouped queries whatever the number of picks: the picks grouped by
(compared models, outcome, winner), and the compared answers' medians grouped
by model. Everything else is arithmetic on those few rows (bradley_terry.py).
"""

from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count

from chat.compare import bradley_terry
from chat.compare.medians import Median
from chat.models import Message, Pick


@dataclass
class Standing:
    model: str
    wins: float = 0
    losses: float = 0
    ties: float = 0
    both_bad: int = 0
    picks: int = 0
    strength: float | None = None
    low: float | None = None
    high: float | None = None
    first_token_ms: float | None = None
    tokens: float | None = None


@dataclass
class Leaderboard:
    picks: int
    standings: list = field(default_factory=list)
    models: list = field(default_factory=list)  # the matrix's order
    matrix: dict = field(default_factory=dict)  # (row, column) -> wins of row over column


def tag_names():
    """The reviewers' tags, when review is installed (chat never imports it)."""
    if not apps.is_installed("chat.review"):
        return []
    return list(apps.get_model("review", "Tag").objects.values_list("name", flat=True))


def picks_for(*, since=None, tag=None):
    """The lookups of the blind picks counted, from `since`, of conversations
    tagged `tag`, as a dict relative to Pick (build() applies them to the picks
    and, through a join, to their answers)."""
    lookups = {"blind": True}
    if since is not None:
        lookups["created__gte"] = since
    if tag:
        # Review's tags, through the ORM (review.ConversationTag's related name).
        lookups["comparison__conversation__tag_links__tag__name"] = tag
    return lookups


def build(lookups):
    """The Leaderboard of the picks matching `lookups` (picks_for), in two queries."""
    picks = Pick.objects.filter(**lookups)
    grouped = list(
        picks.values_list("compared_models", "outcome", "winner_model")
        .annotate(count=Count("id"))
        .order_by()
    )
    rows = [
        (tuple(models.split(",")), outcome, winner, n) for models, outcome, winner, n in grouped
    ]
    standings = {}

    def standing(model):
        return standings.setdefault(model, Standing(model))

    for models, outcome, winner, count in rows:
        for model in models:
            standing(model).picks += count
            if outcome == Pick.Outcome.WINNER:
                if model == winner:
                    standing(model).wins += count * (len(models) - 1)
                else:
                    standing(model).losses += count
            else:
                standing(model).ties += count * (len(models) - 1)
                if outcome == Pick.Outcome.BOTH_BAD:
                    standing(model).both_bad += count
    pairs = bradley_terry.pairs_of(rows)
    if pairs:
        strengths = bradley_terry.fit(pairs)
        bounds = bradley_terry.interval(rows)
        for model, strength in strengths.items():
            standing(model).strength = bradley_terry.elo(strength)
            standing(model).low, standing(model).high = bounds.get(model, (None, None))
    medians = (
        # A join, not "in (picks)": on SQLite the join takes a quarter less.
        Message.objects.filter(**{f"comparison__pick__{k}": v for k, v in lookups.items()})
        .values_list("model")
        .annotate(first=Median("first_token_ms"), tokens=Median("completion_tokens"))
        .order_by()
    )
    for model, first, tokens in medians:
        if model in standings:
            standings[model].first_token_ms, standings[model].tokens = first, tokens
    # By the interval's low end: six lucky votes do not top the table.
    ordered = sorted(
        standings.values(),
        key=lambda s: (s.low is None, -(s.low or 0), -(s.strength or 0), s.model),
    )
    matrix = {}
    for (i, j), (i_wins, j_wins) in pairs.items():
        matrix[(i, j)], matrix[(j, i)] = i_wins, j_wins
    return Leaderboard(
        picks=sum(row[3] for row in rows),
        standings=ordered,
        models=[s.model for s in ordered],
        matrix=matrix,
    )
