"""The transcript as its user saw it, for the review page, with every version.

Messages form a tree (Message.parent); siblings are versions: edits of a user
message, regenerations of an answer. The page shows the path the user ended on
(Conversation.current) as a line of steps; a step with several versions shows
them side by side, the one on the user's path marked. What followed a version
off that line is a branch of its own, listed after the line and linked from
the version, built the same way: every message is shown once, none is lost.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from chat.models import Message
from chat.review.models import Correction, ImageBox, MessageTag, Score, Verdict


@dataclass
class Step:
    """The versions of one message, oldest first; `chosen` is the one the line goes on from."""

    versions: list
    chosen: Message

    @property
    def several(self):
        return len(self.versions) > 1

    @property
    def compared(self):
        """The comparison whose answers these versions are, if they all are one's."""
        ids = {getattr(m, "comparison_id", None) for m in self.versions}
        if len(ids) != 1 or None in ids:
            return None
        return getattr(self.versions[0], "compared_in", None)


@dataclass
class Branch:
    """A line of steps; `after` is the version it continues (None: the user's own line)."""

    after: Message | None
    steps: list = field(default_factory=list)

    @property
    def messages(self):
        return sum(len(step.versions) for step in self.steps)


def messages_for_review(conversation):
    tags = MessageTag.objects.select_related("tag", "added_by").order_by("tag__name")
    return (
        conversation.messages.select_related("feedback")
        .prefetch_related(
            "images",
            Prefetch(
                "images__review_boxes",
                queryset=ImageBox.objects.select_related("author", "tag"),
            ),
            Prefetch("tag_links", queryset=tags),
            Prefetch("verdicts", queryset=Verdict.objects.select_related("reviewer")),
            Prefetch("scores", queryset=Score.objects.select_related("reviewer")),
            Prefetch(
                "corrections",
                queryset=Correction.objects.select_related("author", "approved_by"),
            ),
        )
        .order_by("created", "id")
    )


def mark_compared(messages, comparisons):
    """Set on each answer of a comparison its `compared_in` (the comparison, its
    `pick` read) and its `pick_note`: compared (blind or not), and whether its
    person picked it, called a tie or both bad, or has not picked."""
    picks = {c.pk: (c, c.pick_or_none()) for c in comparisons}
    for message in messages:
        if getattr(message, "comparison_id", None) in picks:
            comparison, pick = picks[message.comparison_id]
            comparison.the_pick = pick
            message.compared_in = comparison
            message.pick_note = pick_note(message, comparison, pick)
            message.picked_by_user = pick is not None and pick.winner_id == message.pk


def pick_note(answer, comparison, pick):
    if pick is None:
        return _("compared blind, not picked") if comparison.blind else _("compared, not picked")
    if pick.outcome == pick.Outcome.WINNER and pick.winner_id == answer.pk:
        return (
            _("compared blind: picked by its user")
            if comparison.blind
            else _("compared: picked by its user")
        )
    if pick.outcome == pick.Outcome.WINNER:
        return _("compared blind") if comparison.blind else _("compared")
    if pick.outcome == pick.Outcome.TIE:
        return (
            _("compared blind: its user's pick, tie")
            if comparison.blind
            else _("compared: its user's pick, tie")
        )
    return (
        _("compared blind: its user's pick, both bad")
        if comparison.blind
        else _("compared: its user's pick, both bad")
    )


def parents_of(messages):
    """Each message's parent id. Rows made without the tree (an answer with no
    parent: imports, old fixtures) are chained in order, as migration 0004 did."""
    if any(m.parent_id is None and m.role == Message.Role.ASSISTANT for m in messages):
        return {m.pk: (messages[n - 1].pk if n else None) for n, m in enumerate(messages)}
    known = {m.pk for m in messages}
    return {m.pk: m.parent_id if m.parent_id in known else None for m in messages}


def path_ids(messages, parents, leaf_id):
    """Ids from the first message down to `leaf_id` (default: the newest message)."""
    if leaf_id not in parents:
        leaf_id = messages[-1].pk if messages else None
    ids = set()
    while leaf_id is not None and leaf_id not in ids:
        ids.add(leaf_id)
        leaf_id = parents[leaf_id]
    return ids


def branches(messages, current_id=None):
    """[Branch]: the user's line first (down to `current_id`, the conversation's
    current leaf), then what followed each other version, in the order met.

    Sets on each message: `on_path`, `version` and `of`
    ("version 2 of 3"), and `branch` (the Branch that continues it, if any).
    """
    messages = list(messages)
    parents = parents_of(messages)
    on_path = path_ids(messages, parents, current_id)
    children = {}
    for message in messages:
        children.setdefault(parents[message.pk], []).append(message)
        message.on_path = message.pk in on_path
        message.branch = None

    def line(after, first):
        branch, versions = Branch(after=after), first
        while versions:
            # On the user's path if a version is; else the newest, where a switch lands.
            chosen = next((m for m in versions if m.on_path), versions[-1])
            for number, message in enumerate(versions, 1):
                message.version, message.of = number, len(versions)
            branch.steps.append(Step(versions=versions, chosen=chosen))
            pending.extend(m for m in versions if m is not chosen and children.get(m.pk))
            versions = children.get(chosen.pk, [])
        return branch

    pending = []
    result = [line(None, children.get(None, []))]
    while pending:
        version = pending.pop(0)
        version.branch = line(version, children[version.pk])
        result.append(version.branch)
    return result
