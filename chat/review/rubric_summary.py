"""The summary's rubric part: each score dimension per model and per day, and
the reviewers' agreement on it with the number of answers it rests on."""

from collections import Counter, defaultdict

from django.db.models.functions import TruncDate

from chat.review import charts
from chat.review.agreement import per_dimension
from chat.review.models import Score, ScoreDimension


def _describe(kind, values):
    """One cell: the mean of a scale, the share of yes, or the categories' counts."""
    if kind == ScoreDimension.Kind.SCALE:
        return f"mean {sum(int(v) for v in values) / len(values):.2f}"
    if kind == ScoreDimension.Kind.YES_NO:
        return f"{100 * values.count('yes') / len(values):.0f}% yes"
    return ", ".join(f"{name} {n}" for name, n in Counter(values).most_common())


def _per_day(kind, days, by_model_day):
    """{series: [value per day]}: a scale's mean or yes's share per model, or
    each category's count (all models together)."""
    models = sorted({model for model, _ in by_model_day}, key=str)
    if kind == ScoreDimension.Kind.CATEGORIES:
        counts = defaultdict(Counter)
        for (_, day), values in by_model_day.items():
            counts[day].update(values)
        names = sorted({name for c in counts.values() for name in c})
        return {name: [counts[d][name] for d in days] for name in names}
    series = {}
    for model in models:
        row = []
        for day in days:
            values = by_model_day.get((model, day))
            if not values:
                row.append(None)
            elif kind == ScoreDimension.Kind.SCALE:
                row.append(round(sum(int(v) for v in values) / len(values), 2))
            else:
                row.append(round(100 * values.count("yes") / len(values)))
        series[model or "—"] = row
    return series


def summarise(period):
    """[{dimension, rows: [(model, n, described)], agreement, chart}] per dimension."""
    scores = defaultdict(lambda: defaultdict(list))  # dimension -> (model, day) -> values
    units = defaultdict(lambda: defaultdict(list))  # dimension -> message -> values
    for dimension, model, day, message, value in (
        period.filter(Score.objects.all())
        .annotate(day=TruncDate("created"))
        .order_by("dimension", "message", "created", "id")
        .values_list("dimension", "message__model", "day", "message", "value")
    ):
        scores[dimension][model, day].append(value)
        units[dimension][message].append(value)
    result = []
    for dimension in ScoreDimension.objects.all():
        by_model_day = scores.get(dimension.pk, {})
        by_model = defaultdict(list)
        for (model, _), values in by_model_day.items():
            by_model[model].extend(values)
        series = _per_day(dimension.kind, period.days, by_model_day)
        title = f"{dimension.name}: " + {
            "scale": "mean score per model", "yes_no": "% yes per model",
            "categories": "answers per category",
        }[dimension.kind]  # fmt: skip
        if dimension.kind == ScoreDimension.Kind.CATEGORIES:
            chart = charts.bars(title, period.days, series)
        else:
            unit = "" if dimension.kind == ScoreDimension.Kind.SCALE else "%"
            chart = charts.lines(title, period.days, series, unit=unit)
        result.append({
            "dimension": dimension,
            "rows": [(model or "—", len(v), _describe(dimension.kind, v))
                     for model, v in sorted(by_model.items(), key=lambda kv: str(kv[0]))],
            "agreement": per_dimension(dimension.kind, units.get(dimension.pk, {}).values()),
            "chart": chart,
        })  # fmt: skip
    return result
