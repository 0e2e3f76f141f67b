"""The websocket protocol at /ws/chat/<conversation code>/ in code: the actions a
page sends, the events it is sent, the close codes, and what makes an action's
fields valid. chat/live/README.md says what each one means.
"""

import uuid

from django.conf import settings
from django.utils.translation import gettext

from chat import extraction
from chat.gateway import catalog
from chat.models import ImageAttachment, Pick

# Below the models (chat/refusals.py), so that TurnRefused is one too: models never import live.
from chat.refusals import Refusal, grouped

# Client to server: {"action": ..., ...}; the consumer handles each in its action_<name>.
ACTIONS = ("send", "edit", "regenerate", "switch", "stop", "sync", "resume", "pick")

# Server to client: {"type": ..., ...}.
MESSAGE = "message"  # the user's message was stored
ANSWER = "answer"  # an answer started, or is sent again with what the request left out
TOKEN = "token"  # text of a streaming answer from an offset
IMAGE = "image"  # an image the streaming answer produced
DONE = "done"  # the answer finished
PART = "part"  # a piece of a message too big for one event, before that event
ERROR = "error"  # the answer failed, or (without "message") a request was refused
PATH = "path"  # the messages following one message, on the version now current
CONVERSATION = "conversation"  # one of the person's conversations was active or renamed
CONVERSATIONS = "conversations"  # several were active within a moment (announcements.py)
CONVERSATION_DELETED = "conversation_deleted"

# Close codes. The first two close an accepted socket, so that a browser sees
# them; the page stops reconnecting after either.
CLOSE_NOT_LOGGED_IN = 4401
CLOSE_NO_CONVERSATION = 4404  # none with this code for this user (or it was deleted)
CLOSE_TOO_BIG = 1009  # a frame over settings.WEBSOCKET_MAX_BYTES: the standard "message too big"
CLOSE_RESTARTING = 4012  # 1012 "service restart" in the range a server may send: reconnect

MAX_TEXT_LENGTH = 20_000
MAX_REASON_LENGTH = 2_000
# A "send" with "models" asks them all at once, side by side (chat/models/comparisons.py).
COMPARE_MODELS = (2, 3)
DETAILS = set(ImageAttachment.Detail.values)


def parse_model(content):
    model = content.get("model")
    if model not in catalog.ids():
        raise Refusal(
            gettext("“%(model)s” is not an available model.") % {"model": model},
            code="unknown_model",
        )
    return model


def parse_message_id(content, key="message"):
    message = content.get(key)
    if not isinstance(message, int) or isinstance(message, bool):
        raise Refusal(gettext("“%(key)s” must be a message id.") % {"key": key}, code="bad_request")
    return message


def parse_shown(content):
    """Validate a "resume" action's "shown": [(message id, number of versions)]."""
    shown = content.get("shown", [])
    if not isinstance(shown, list) or not all(
        isinstance(pair, list)
        and len(pair) == 2
        and all(isinstance(n, int) and not isinstance(n, bool) for n in pair)
        for pair in shown
    ):
        raise Refusal(
            gettext("“shown” must be a list of [message id, versions]."), code="bad_request"
        )
    return [tuple(pair) for pair in shown]


def _storable(text):
    """False for NUL (PostgreSQL refuses it) and lone surrogates ("\\ud800" in
    JSON), which no database stores."""
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def parse_send(content):
    """Validate a "send" or "edit" action; return (text, [(image code, detail)], model)."""
    text, images = content.get("text", ""), content.get("images", [])
    if not isinstance(text, str) or len(text) > MAX_TEXT_LENGTH:
        raise Refusal(
            gettext("Messages can be at most %(count)s characters.")
            % {"count": grouped(MAX_TEXT_LENGTH)},
            code="text_too_long",
        )
    if not _storable(text):
        raise Refusal(
            gettext(
                "The message holds characters that cannot be stored (NUL or a lone surrogate)."
            ),
            code="bad_request",
        )
    if not isinstance(images, list):
        raise Refusal(gettext("“images” must be a list."), code="bad_request")
    if len(images) > settings.IMAGES_PER_MESSAGE:
        raise Refusal(
            gettext("A message can carry at most %(count)s images.")
            % {"count": settings.IMAGES_PER_MESSAGE},
            code="too_many_images",
        )
    if not text.strip() and not images:
        raise Refusal(gettext("Write a message or attach an image."), code="empty_message")
    model = parse_model(content)
    parsed = []
    for image in images:
        try:
            code = uuid.UUID(str(image["id"]))
            detail = image.get("detail", "auto")
        except (TypeError, KeyError, ValueError, AttributeError):
            raise Refusal(gettext("An image reference is malformed."), code="bad_request") from None
        if not isinstance(detail, str) or detail not in DETAILS:
            raise Refusal(gettext("Detail must be low, high or auto."), code="bad_request")
        parsed.append((code, detail))
    return text.strip(), parsed, model


def parse_extract(content):
    """The JSON Schema a "send" asks its answer to fit, or None: from
    "extract": {"fields": [{"name", "type"}, ...]} or {"schema": {...}}.
    Raises InvalidSchema (a Refusal) with the reason, before anything is stored."""
    extract = content.get("extract")
    if extract is None:
        return None
    if isinstance(extract, dict) and "fields" in extract:
        return extraction.schema_from_fields(extract["fields"])
    if isinstance(extract, dict) and "schema" in extract:
        return extraction.check_schema(extract["schema"])
    raise Refusal(gettext("“extract” must hold “fields” or a “schema”."), code="bad_request")


def parse_compare(content):
    """Validate a "send" with "models" (2 or 3 different ones) and "blind";
    return (text, images, models, blind)."""
    models = content.get("models")
    low, high = COMPARE_MODELS
    if not isinstance(models, list) or not low <= len(models) <= high:
        raise Refusal(
            gettext("Compare %(low)s or %(high)s models at once.") % {"low": low, "high": high},
            code="bad_request",
        )
    for model in models:
        parse_model({"model": model})
    if len(set(models)) != len(models):
        raise Refusal(gettext("Pick different models to compare."), code="bad_request")
    blind = content.get("blind", False)
    if not isinstance(blind, bool):
        raise Refusal(gettext("“blind” must be true or false."), code="bad_request")
    text, images, _ = parse_send({**content, "model": models[0]})
    return text, images, models, blind


def parse_pick(content):
    """Validate a "pick": return (comparison id, outcome, winner answer id or None, reason)."""
    comparison = parse_message_id(content, "comparison")
    outcome = content.get("outcome")
    if outcome not in Pick.Outcome.values:
        raise Refusal(gettext("A pick is “winner”, “tie” or “both_bad”."), code="bad_request")
    winner = parse_message_id(content) if outcome == Pick.Outcome.WINNER else None
    reason = content.get("reason", "")
    if not isinstance(reason, str) or len(reason) > MAX_REASON_LENGTH or not _storable(reason):
        raise Refusal(
            gettext("A reason is text of at most %(count)s characters.")
            % {"count": grouped(MAX_REASON_LENGTH)},
            code="bad_request",
        )
    return comparison, outcome, winner, reason.strip()
