"""The app's models, one module per model (images.py holds the two image ones).
Importable from chat.models as before; Django finds them through these imports.
chat/images/ imports chat.models.images only, so the models may use it freely."""

from chat.models.buckets import Bucket
from chat.models.comparisons import Comparison, Pick
from chat.models.conversations import (
    TITLE_LENGTH,
    Conversation,
    ConversationQuerySet,
    TurnRefused,
    default_image_history_turns,
)
from chat.models.documents import Document
from chat.models.feedback import Feedback
from chat.models.images import Derivative, ImageAttachment
from chat.models.lineage import ImageSource
from chat.models.messages import Message, MessageQuerySet, Outcome
from chat.models.preferences import Preferences
from chat.models.runs import Run, RunItem, RunItemQuerySet
from chat.models.schemas import SavedSchema

__all__ = [
    "TITLE_LENGTH", "Bucket", "Comparison", "Conversation", "ConversationQuerySet", "Derivative",
    "Document", "Feedback", "ImageAttachment", "ImageSource",
    "Message", "MessageQuerySet", "Outcome", "Pick",
    "Preferences", "Run", "RunItem", "RunItemQuerySet", "SavedSchema",
    "TurnRefused", "default_image_history_turns",
]  # fmt: skip
