"""Messages as the browser sees them: the same shape in the page's initial data
and in websocket events, so one piece of JavaScript draws both."""

from datetime import timedelta

from django.db.models import Q, prefetch_related_objects
from django.urls import reverse
from django.utils.timezone import localdate

from chat import images
from chat.models import Message

# Finish reasons the user is told about; the answer itself is complete.
FINISH_NOTICES = {
    "length": "The answer was cut at the token limit.",
    "content_filter": "The gateway filtered the answer.",
}


# Formats a browser draws: the viewer shows their original bytes; others
# (HEIC) the cleaned copy the model was sent.
BROWSER_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def image_payload(attachment):
    url = reverse("chat-image", args=[attachment.code])
    return {
        "id": str(attachment.code),
        "url": url,
        # For the page's viewer, whose only users are the image's owner.
        "view_url": (
            reverse("chat-image-original", args=[attachment.code])
            if attachment.format in BROWSER_FORMATS
            else url
        ),
        "thumbnail_url": reverse("chat-image-thumbnail", args=[attachment.code]),
        "crop_url": reverse("chat-image-crop", args=[attachment.code]),
        "crop_box": attachment.crop_box,
        "format": attachment.format,
        "width": attachment.width,
        "height": attachment.height,
        "size": attachment.size,
        "detail": attachment.detail,
        "source_url": attachment.source_url,
        "name": attachment.name,
        "animated": attachment.animated,
        "tokens": attachment.tokens,
    }


def upload_payload(attachment, models):
    """An image just taken in: its payload plus token estimates per model and detail."""
    return {
        **image_payload(attachment),
        "estimates": images.estimates(attachment.width, attachment.height, models),
    }


def find_versions(message):
    """[{"id", "model"}] of the versions of `message` (itself and its siblings:
    the same role under the same parent), oldest first."""
    siblings = Message.objects.filter(
        conversation_id=message.conversation_id, parent_id=message.parent_id, role=message.role
    ).order_by("created", "id")
    return [{"id": pk, "model": model} for pk, model in siblings.values_list("pk", "model")]


# A long conversation opens on its latest messages; older ones come a page at
# a time as the person scrolls up (chat/views/conversations.py: older_messages).
PAGE_SIZE = 50


class NotOnPath(Exception):
    """The message asked about is not on the conversation's current path."""


def _versions(conversation, parents=None):
    """{(parent id, role): [{"id", "model"}]} of the messages of the
    conversation (only those under `parents`, ids, when given), oldest first:
    the versions of each, in one query."""
    messages = conversation.messages.all()
    if parents is not None:
        under_parents = Q(parent_id__in=parents - {None})
        if None in parents:
            under_parents |= Q(parent__isnull=True)
        messages = messages.filter(under_parents)
    siblings = {}
    rows = messages.order_by("created", "id").values_list("pk", "parent_id", "role", "model")
    for pk, parent_id, role, model in rows:
        siblings.setdefault((parent_id, role), []).append({"id": pk, "model": model})
    return siblings


def path_payloads(conversation, path, *, versions=None):
    """The payloads of the messages of `path`, their versions found in one query."""
    if versions is None:
        versions = _versions(conversation, {m.parent_id for m in path})
    prefetch_related_objects(path, "feedback")  # the user's thumbs, shown again
    return [
        message_payload(m, images=list(m.images.all()), versions=versions[(m.parent_id, m.role)])
        for m in path
    ]


def path_page(conversation, *, before=None, size=PAGE_SIZE):
    """{"messages", "older"}: the payloads of the last `size` messages of the
    current path before the message `before` (default: to its end), and whether
    older ones remain. A fixed number of queries, however long the path."""
    ids = conversation.path_ids()
    if before is None:
        end = len(ids)
    elif before in ids:
        end = ids.index(before)
    else:
        raise NotOnPath(before)
    start = max(0, end - size)
    messages = conversation.messages_of(ids[start:end])
    return {"messages": path_payloads(conversation, messages), "older": start > 0}


def unseen_path(conversation, shown):
    """What a page showing `shown` lacks of the conversation's current path, as
    (after, payloads, older): the messages that follow the message `after`
    (None: from the first one sent), to replace what the page shows after it.

    `shown` is [(id, number of versions)] of the finished messages on the page,
    in order, possibly from the middle of the path (older ones not loaded). The
    run of them that matches the path (same ids, same number of versions) is
    kept; everything after it is sent, so a page that missed nothing gets
    nothing, and a streaming answer (never in `shown`) comes in its stored state.
    A page that keeps nothing, or lacks more than a page, is sent the latest
    page from the start instead, and `older` says whether messages remain above
    it (None when the page keeps what it shows).
    """
    conversation = type(conversation).objects.get(pk=conversation.pk)  # its current leaf now
    ids = conversation.path_ids()
    versions = _versions(conversation)
    version_key = {v["id"]: key for key, listed in versions.items() for v in listed}
    position = {pk: index for index, pk in enumerate(ids)}
    kept = 0
    if shown and shown[0][0] in position:
        kept = position[shown[0][0]]
        for message_id, count in shown:
            if kept == len(ids) or ids[kept] != message_id:
                break
            if len(versions[version_key[message_id]]) != count:
                break
            kept += 1
    if kept == 0 or len(ids) - kept > PAGE_SIZE:
        start = max(0, len(ids) - PAGE_SIZE)
        after, older = None, start > 0
    else:
        start = kept
        after, older = ids[kept - 1], None
    messages = conversation.messages_of(ids[start:])
    return after, path_payloads(conversation, messages, versions=versions), older


def message_payload(message, *, images=None, versions=None):
    """`images` and `versions` save queries when the caller already holds them.

    "parent" says where the message hangs in the conversation's tree: a page
    shows it right after its parent, in place of what followed there.
    """
    if images is None:
        images = message.images.all()  # an assistant's are the images it generated
    payload = {
        "id": message.pk,
        "parent": message.parent_id,
        "versions": find_versions(message) if versions is None else versions,
        "role": message.role,
        "status": message.status,
        "text": message.text,
        "model": message.model,
        "images": [image_payload(image) for image in images],
        "created": message.created.isoformat(),
    }
    if message.role == Message.Role.ASSISTANT:
        payload.update(
            html=message.html,  # stored when the answer finished (Message.save)
            prompt_tokens=message.prompt_tokens,
            completion_tokens=message.completion_tokens,
            first_token_ms=message.first_token_ms,
            total_ms=message.total_ms,
            finish_reason=message.finish_reason,
            notice=FINISH_NOTICES.get(message.finish_reason, ""),
            error_code=message.error_code,
            error=message.error,
            dropped_turns=message.dropped_turns,
            dropped_images=message.dropped_images,
        )
        # Only when the caller loaded it (the page does; a new answer has none).
        if Message.feedback.is_cached(message):
            feedback = getattr(message, "feedback", None)
            payload["feedback"] = (
                {"rating": feedback.rating, "comment": feedback.comment} if feedback else None
            )
    return payload


def activity_group(moment, today=None):
    """The sidebar's heading for a conversation last active at `moment`: "Today",
    "Previous 7 days" or "Older", by the day in the site's time zone."""
    today = today or localdate()
    day = localdate(moment)
    if day >= today:
        return "Today"
    if day >= today - timedelta(days=7):
        return "Previous 7 days"
    return "Older"


def conversation_payload(conversation):
    """A conversation as the sidebar lists it."""
    return {
        "code": str(conversation.code),
        "title": str(conversation),
        "url": reverse("chat-conversation", args=[conversation.code]),
        "updated": conversation.updated.isoformat(),
        "group": activity_group(conversation.updated),
    }
