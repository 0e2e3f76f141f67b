"""The summary page's figures, per day over a period."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, TruncDate

from chat.models import Conversation, Feedback, ImageAttachment, Message, Run, RunItem
from chat.review import charts
from chat.review.agreement import agreement
from chat.review.models import Correction, Decision, Review

DEFAULT_DAYS = 14
MAX_DAYS = 366


@dataclass
class Period:
    start: date
    end: date  # inclusive

    @classmethod
    def from_request(cls, params, *, today):
        """?start=YYYY-MM-DD&end=YYYY-MM-DD, or ?days=N ending today."""
        try:
            end = date.fromisoformat(params["end"]) if params.get("end") else today
            if params.get("start"):
                start = date.fromisoformat(params["start"])
            else:
                days = int(params.get("days") or DEFAULT_DAYS)
                start = end - timedelta(days=max(1, min(days, MAX_DAYS)) - 1)
        except ValueError:
            end, start = today, today - timedelta(days=DEFAULT_DAYS - 1)
        if start > end:
            start, end = end, start
        start = max(start, end - timedelta(days=MAX_DAYS - 1))
        return cls(start, end)

    @property
    def days(self):
        count = (self.end - self.start).days + 1
        return [self.start + timedelta(days=n) for n in range(count)]

    def filter(self, queryset, field="created"):
        return queryset.filter(
            **{f"{field}__date__gte": self.start, f"{field}__date__lte": self.end}
        )


def _per_day(queryset, field="created", **group):
    """{day: count} or, with a group field, {(day, value): count}."""
    rows = (
        queryset.annotate(day=TruncDate(field))
        .values("day", *group.values())
        .annotate(n=Count("pk"))
        .order_by()
    )
    if group:
        (name,) = group.values()
        return {(r["day"], r[name]): r["n"] for r in rows}
    return {r["day"]: r["n"] for r in rows}


def percentile(values, p):
    """Nearest-rank percentile of a non-empty sorted list."""
    rank = max(1, -(-len(values) * p // 100))
    return values[int(rank) - 1]


def _split(counts, days):
    """{(day, key): n} into {key: [n per day]}, keys sorted."""
    keys = sorted({key for _, key in counts}, key=str)
    return {key or "—": [counts.get((day, key), 0) for day in days] for key in keys}


def _corrections_by_tag(corrections):
    """{tag: corrections} over the tags of the corrected answer and of its
    conversation; a correction counts once per tag."""
    pairs = set()
    for field in ("message__tag_links__tag__name", "message__conversation__tag_links__tag__name"):
        pairs.update(corrections.exclude(**{field: None}).values_list("pk", field).order_by())
    counts = defaultdict(int)
    for _, name in pairs:
        counts[name] += 1
    return dict(sorted(counts.items()))


def _runs(period):
    """Runs started in the period, and their items by how they ended (chat/runs/)."""
    items = RunItem.objects.filter(run__in=period.filter(Run.objects.all()))
    ended = dict(items.values_list("status").annotate(n=Count("pk")).order_by())
    tokens = items.aggregate(
        n=Sum(Coalesce("prompt_tokens", 0) + Coalesce("completion_tokens", 0))
    )["n"]
    return {
        "runs": period.filter(Run.objects.all()).count(),
        "items": sum(ended.values()),
        "done": ended.get(RunItem.Status.DONE, 0),
        "failed": ended.get(RunItem.Status.FAILED, 0),
        "tokens": tokens or 0,
    }


def summarise(period):
    days = period.days
    messages = period.filter(Message.objects.all())
    answers = messages.filter(role=Message.Role.ASSISTANT)
    conversations = _per_day(period.filter(Conversation.objects.all()))
    message_counts = _per_day(messages)
    # Images count on the day they were sent, not uploaded.
    sent = "message__created"
    image_counts = _per_day(period.filter(ImageAttachment.objects.all(), sent), sent)
    tokens = {
        (r["day"], r["model"]): r["n"]
        for r in answers.annotate(day=TruncDate("created"))
        .values("day", "model")
        .annotate(n=Sum(Coalesce("prompt_tokens", 0) + Coalesce("completion_tokens", 0)))
        .order_by()
    }
    errors = _per_day(answers.filter(status=Message.Status.ERROR), code="error_code")
    thumbs = _per_day(period.filter(Feedback.objects.all()), rating="rating")
    first_tokens = defaultdict(list)
    for day, ms in (
        answers.exclude(first_token_ms=None)
        .annotate(day=TruncDate("created"))
        .values_list("day", "first_token_ms")
        .order_by("first_token_ms")
    ):
        first_tokens[day].append(ms)
    reviewed = _per_day(
        period.filter(Review.objects.exclude(state=Review.State.UNREVIEWED), "updated"),
        "updated",
        state="state",
    )
    decisions, settled_on = defaultdict(list), {}
    for conversation, value, day in (
        period.filter(Decision.objects.all())
        .annotate(day=TruncDate("created"))
        .order_by("created")
        .values_list("conversation", "value", "day")
    ):
        decisions[conversation].append(value)
        settled_on[conversation] = day  # a conversation counts on its last decision's day
    agreement_per_day = {
        day: agreement(v for c, v in decisions.items() if settled_on[c] == day)
        for day in set(settled_on.values())
    }
    corrections = period.filter(Correction.objects.all())
    corrections_by_model = _split(_per_day(corrections, model="message__model"), days)
    p50 = [percentile(first_tokens[d], 50) if first_tokens[d] else None for d in days]
    p95 = [percentile(first_tokens[d], 95) if first_tokens[d] else None for d in days]
    volume = {
        "conversations": [conversations.get(d, 0) for d in days],
        "messages": [message_counts.get(d, 0) for d in days],
        "images": [image_counts.get(d, 0) for d in days],
    }
    thumbs_series = {"up": [thumbs.get((d, "up"), 0) for d in days],
                     "down": [thumbs.get((d, "down"), 0) for d in days]}  # fmt: skip
    review_series = {
        "reviewed": [sum(reviewed.get((d, s), 0) for s in ("approved", "flagged", "in_review"))
                     for d in days],
        "flagged": [reviewed.get((d, "flagged"), 0) for d in days],
    }  # fmt: skip
    tokens_by_model = _split(tokens, days)
    errors_by_code = _split(errors, days)
    rows = [
        {"day": d, "conversations": volume["conversations"][i], "messages": volume["messages"][i],
         "images": volume["images"][i], "tokens": sum(s[i] for s in tokens_by_model.values()),
         "errors": sum(s[i] for s in errors_by_code.values()), "up": thumbs_series["up"][i],
         "down": thumbs_series["down"][i], "p50": p50[i], "p95": p95[i],
         "reviewed": review_series["reviewed"][i], "flagged": review_series["flagged"][i],
         "agreement": agreement_per_day.get(d)}
        for i, d in enumerate(days)
    ]  # fmt: skip
    return {
        "rows": rows,
        "tokens_by_model": {k: sum(v) for k, v in tokens_by_model.items()},
        "errors_by_code": {k: sum(v) for k, v in errors_by_code.items()},
        "agreement": agreement(decisions.values()),
        "corrections_by_model": {k: sum(v) for k, v in corrections_by_model.items()},
        "corrections_by_tag": _corrections_by_tag(corrections),
        "runs": _runs(period),
        "charts": [
            charts.bars("Conversations, messages and images per day", days, volume, grouped=True),
            charts.bars("Tokens by model", days, tokens_by_model),
            charts.bars("Errors by code", days, errors_by_code),
            charts.bars("Users' thumbs", days, thumbs_series, grouped=True),
            charts.lines("First token (ms), p50 and p95", days, {"p50": p50, "p95": p95}),
            charts.bars("Reviewed and flagged", days, review_series, grouped=True),
            charts.bars("Corrections by model", days, corrections_by_model),
        ],
    }
