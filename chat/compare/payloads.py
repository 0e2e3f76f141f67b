"""A compared answer as the browser sees it: the "comparison" its payload
carries (chat/live/payloads.py adds it), with the names hidden while a blind
comparison waits for its pick.

    "comparison": {"id", "blind", "columns": [{"id", "label"}], "pick": null or
                   {"outcome", "winner", "blind", "reason"}}

A path's payload also carries the other columns' payloads ("answers"), so a
page opened mid-comparison draws every column.
"""

from django.db.models import Count, prefetch_related_objects
from django.utils.translation import gettext as _

from chat.compare import prices
from chat.models import Comparison, Message


def pick_payload(pick):
    if pick is None:
        return None
    return {
        "outcome": pick.outcome,
        "winner": pick.winner_id,
        "blind": pick.blind,
        "reason": pick.reason,
    }


def comparison_of(message):
    """The comparison of `message` with its answers and pick (prefetched by a path)."""
    comparison = message.comparison
    if comparison is None:
        return None, [], None
    return (
        comparison,
        sorted(comparison.answers.all(), key=lambda a: a.pk),
        comparison.pick_or_none(),
    )


def decorate(payload, message):
    """Add the comparison to the payload of `message`, one of its answers; hide
    the models while blind and unpicked."""
    comparison, answers, pick = comparison_of(message)
    if comparison is None:
        return payload
    picked = pick is not None
    labels = comparison.labels(answers, picked=picked)
    payload["comparison"] = {
        "id": comparison.pk,
        "blind": comparison.blind,
        "columns": [{"id": a.pk, "label": label} for a, label in zip(answers, labels, strict=True)],
        "pick": pick_payload(pick),
    }
    hidden = comparison.blind and not picked
    if hidden:
        label = dict(zip((a.pk for a in answers), labels, strict=True))
        payload["model"] = label.get(message.pk, "")
        payload["versions"] = [
            {**v, "model": label.get(v["id"], v["model"])} for v in payload["versions"]
        ]
    elif message.status == Message.Status.COMPLETE:
        payload["cost"] = prices.cost(
            message.model, message.prompt_tokens, message.completion_tokens
        )
    return payload


def add_answers(payload, message, payload_of):
    """In a path: the other columns of an unpicked comparison, made by
    `payload_of(answer)`, so that the page draws them all."""
    comparison, answers, pick = comparison_of(message)
    if comparison is not None and pick is None:
        payload["comparison"]["answers"] = [payload_of(a) for a in answers if a.pk != message.pk]


def prefetch(messages):
    """What decorate and add_answers read, for a page of messages, in a fixed
    number of queries."""
    compared = [m for m in messages if m.comparison_id]
    if compared:
        prefetch_related_objects(compared, "comparison__answers__images", "comparison__pick")


def sidebar_notes(conversation_ids):
    """{conversation id: what its latest comparison was}, for the sidebar and
    its search, in one query: the models and the pick once picked; while a
    comparison waits for its pick, only how many models (a blind one's names
    are hidden until then)."""
    notes = {}
    latest = (
        Comparison.objects.filter(conversation_id__in=conversation_ids)
        .select_related("pick")
        .annotate(columns=Count("answers"))
        .order_by("conversation_id", "-created", "-id")
    )
    for comparison in latest:
        if comparison.conversation_id not in notes:
            notes[comparison.conversation_id] = _note(comparison)
    return notes


def _note(comparison):
    pick = comparison.pick_or_none()
    if pick is None:
        return _("Compared %(count)d models, not picked yet") % {"count": comparison.columns}
    models = " · ".join(pick.compared_models.split(","))
    if pick.outcome == pick.Outcome.WINNER:
        return _("Compared %(models)s: picked %(model)s") % {
            "models": models, "model": pick.winner_model,
        }  # fmt: skip
    if pick.outcome == pick.Outcome.TIE:
        return _("Compared %(models)s: a tie") % {"models": models}
    return _("Compared %(models)s: both bad") % {"models": models}
