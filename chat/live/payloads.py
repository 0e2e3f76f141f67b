"""Messages as the browser sees them: the same shape in the page's initial data
and in websocket events, so one piece of JavaScript draws both."""

from datetime import timedelta

from django.urls import reverse
from django.utils.timezone import localdate

from chat import images
from chat.compare import payloads as compared
from chat.models import Message
from chat.tables.links import extraction_payload, tables_payload

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
        "download_url": reverse("chat-image-download", args=[attachment.code]),
        # The viewer's first look (at most 2048 px); the original only on demand.
        "display_url": reverse("chat-image-display", args=[attachment.code]),
        "lineage_url": reverse("chat-image-lineage", args=[attachment.code]),
        "markup_url": reverse("chat-image-markup", args=[attachment.code]),
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
        **_document_fields(attachment),
    }


def _document_fields(attachment):
    """A document's page: which document (its name and its original, a download)."""
    if attachment.document_id is None:
        return {}
    document = attachment.document
    return {
        "page": attachment.page,
        "document": {
            "id": str(document.code),
            "name": document.name,
            "page_count": document.page_count,
            "original_url": reverse("chat-document-original", args=[document.code]),
        },
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
    if message.role == Message.Role.USER and message.schema:
        payload["extract"] = list(message.schema.get("properties", {}))  # the fields asked for
    if message.role == Message.Role.ASSISTANT:
        payload.update(
            html=message.html,  # stored when the answer finished (Message.save)
            prompt_tokens=message.prompt_tokens,
            completion_tokens=message.completion_tokens,
            first_token_ms=message.first_token_ms,
            total_ms=message.total_ms,
            finish_reason=message.finish_reason,
            # A code, not a sentence: this payload is built where the reader's
            # language is not known (an answer's task, a shared relay); the page
            # says it from its catalogue (static/js/chat/render.js: noticeText).
            notice_code=message.notice_code,
            # The image settings it was asked with (never its provider state).
            image_config=message.image_config,
            error_code=message.error_code,
            error=message.error,
            dropped_turns=message.dropped_turns,
            dropped_images=message.dropped_images,
            # Downloads of its tables (chat/tables/); an extraction's own, below, instead.
            tables=[] if message.schema else tables_payload(message),
            # An extraction's fields, validated against its schema (chat/extraction/).
            extraction=extraction_payload(message),
        )
        # Only when the caller loaded it (the page does; a new answer has none).
        if Message.feedback.is_cached(message):
            feedback = getattr(message, "feedback", None)
            payload["feedback"] = (
                {"rating": feedback.rating, "comment": feedback.comment} if feedback else None
            )
        if message.comparison_id:
            compared.decorate(payload, message)
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
