"""What every importer produces: plain data, checked for shape, before
anything is written."""

from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.utils.translation import gettext

from chat.refusals import Refusal, grouped

# Bounds on an untrusted file (a zip bomb, a JSON nested a million deep, a
# conversation of a million messages): past them the import stops with a sentence.
MAX_CONVERSATIONS = 10_000
MAX_MESSAGES = 5_000
MAX_TEXT = 1_000_000


class ImportRefused(Refusal):
    """The file cannot be imported; `message` says what was wrong."""

    def __init__(self, message):
        super().__init__(message, code="import_refused")


# Sentences the formats share; `where` names the conversation ("conversation 2 (“Hello”)").
def too_many_messages(where):
    return gettext("%(where)s has more than %(count)s messages.") % {
        "where": where,
        "count": grouped(MAX_MESSAGES),
    }


def in_a_circle(where):
    return gettext("%(where)s: its messages refer to each other in a circle.") % {"where": where}


@dataclass
class ParsedMessage:
    ref: str
    parent: str | None
    role: str  # "user" or "assistant"
    text: str
    model: str = ""
    created: datetime | None = None
    images: list = field(default_factory=list)  # image references, read when landing


@dataclass
class ParsedConversation:
    key: str
    title: str
    created: datetime | None
    updated: datetime | None
    messages: list  # parents before children
    current: str | None
    model: str = ""


def moment(value):
    """A timestamp in seconds (ChatGPT, Open WebUI) or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if value > 1e11:  # milliseconds
        value /= 1000
    try:
        return datetime.fromtimestamp(value, tz=UTC)
    except (OverflowError, OSError, ValueError):
        return None


def text_of(value, where):
    if not isinstance(value, str):
        raise ImportRefused(gettext("%(where)s: the text is not a string.") % {"where": where})
    if len(value) > MAX_TEXT:
        raise ImportRefused(
            gettext("%(where)s: a message is longer than %(count)s characters.")
            % {"where": where, "count": grouped(MAX_TEXT)}
        )
    return value.replace("\x00", "")


def ordered(nodes, where):
    """`nodes` {ref: ParsedMessage-ish with .parent} in an order where each parent
    comes before its children (oldest siblings first); refuses cycles."""
    children = {}
    for ref, node in nodes.items():
        if node.parent not in nodes:
            node.parent = None
        children.setdefault(node.parent, []).append(ref)
    result, queue = [], list(children.get(None, []))
    while queue:
        ref = queue.pop(0)
        result.append(nodes[ref])
        queue.extend(children.get(ref, []))
    if len(result) != len(nodes):
        raise ImportRefused(in_a_circle(where))
    return result
