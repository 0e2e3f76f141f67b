"""Messages as the browser sees them: the same shape in the page's initial data
and in websocket events, so one piece of JavaScript draws both."""

from django.urls import reverse

from chat import images, markdown
from chat.models import Message

# Finish reasons the user is told about; the answer itself is complete.
FINISH_NOTICES = {
    "length": "The answer was cut at the token limit.",
    "content_filter": "The gateway filtered the answer.",
}


def image_payload(attachment):
    return {
        "id": str(attachment.code),
        "url": reverse("chat-image", args=[attachment.code]),
        "thumbnail_url": reverse("chat-image-thumbnail", args=[attachment.code]),
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


def message_payload(message, *, images=None):
    """`images` saves a query when the caller already holds the message's images."""
    if images is None:
        images = message.images.all()  # an assistant's are the images it generated
    payload = {
        "id": message.pk,
        "role": message.role,
        "status": message.status,
        "text": message.text,
        "model": message.model,
        "images": [image_payload(image) for image in images],
        "created": message.created.isoformat(),
    }
    if message.role == Message.Role.ASSISTANT:
        payload.update(
            html=markdown.render(message.text) if message.is_finished else "",
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
    return payload
