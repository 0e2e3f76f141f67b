"""Rubrics: the score dimensions operators define in the admin, the scores
reviewers give answers on them, and which dimensions apply to which answer."""

from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext

from chat.models import Message
from chat.review.models import Activity, Score, ScoreDimension


def dimensions():
    return list(ScoreDimension.objects.prefetch_related("for_tags"))


def applies(dimension, message, tag_names):
    """Does `dimension` apply to answer `message`, whose tags (its own and its
    conversation's) are `tag_names`?"""
    if message.role != Message.Role.ASSISTANT:
        return False
    names = dimension.model_names()
    if names and message.model not in names:
        return False
    wanted = {tag.name for tag in dimension.for_tags.all()}
    return not wanted or bool(wanted & set(tag_names))


class ScoreRefused(ValueError):
    pass


def score(message, reviewer, values, every_dimension):
    """Store `reviewer`'s scores of `message`: {dimension id: value}; an empty
    value takes a score back. A value a dimension does not offer is refused."""
    by_id = {d.pk: d for d in every_dimension}
    with transaction.atomic():
        for pk, value in values.items():
            dimension = by_id.get(pk)
            if dimension is None:
                raise ScoreRefused(gettext("That score dimension does not exist."))
            if not value:
                Score.objects.filter(
                    message=message, dimension=dimension, reviewer=reviewer
                ).delete()
                continue
            if value not in dict(dimension.choices()):
                raise ScoreRefused(
                    gettext("“%(value)s” is not a value of %(dimension)s.")
                    % {"value": value, "dimension": dimension.name}
                )
            Score.objects.update_or_create(
                message=message, dimension=dimension, reviewer=reviewer,
                defaults={"value": value, "created": now()},
            )  # fmt: skip
        Activity.objects.create(
            conversation_id=message.conversation_id, message=message, actor=reviewer,
            action="scores", value=", ".join(f"{by_id[k].name}" for k, v in values.items() if v),
        )  # fmt: skip


def missing_required(answers, reviewer, every_dimension, tags_of):
    """[(answer, dimension)] still to be scored by `reviewer` among the
    required dimensions that apply to `answers` (with scores prefetched)."""
    required = [d for d in every_dimension if d.required]
    missing = []
    for answer in answers:
        done = {s.dimension_id for s in answer.scores.all() if s.reviewer_id == reviewer.pk}
        for dimension in required:
            if dimension.pk not in done and applies(dimension, answer, tags_of(answer)):
                missing.append((answer, dimension))
    return missing
