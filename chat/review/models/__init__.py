"""Review data: kept apart from the chat's own tables, pointing at them.
One module per reason to change; every model is importable from here."""

from chat.review.models.audit import AccessLog, Activity
from chat.review.models.exports import DatasetExport
from chat.review.models.labels import (
    ConversationTag,
    Correction,
    Decision,
    ImageBox,
    MessageTag,
    Review,
    Score,
    ScoreDimension,
    Tag,
    Verdict,
)
from chat.review.models.queues import PairItem, PairJudgment, QueueItem

__all__ = [
    "AccessLog", "Activity", "ConversationTag", "Correction", "DatasetExport", "Decision",
    "ImageBox", "MessageTag", "PairItem", "PairJudgment", "QueueItem", "Review", "Score",
    "ScoreDimension", "Tag", "Verdict",
]  # fmt: skip
