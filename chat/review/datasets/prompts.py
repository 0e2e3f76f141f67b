"""Messages in the OpenAI chat format, from a conversation's stored path, as
the model got them: the app's system prompt and the person's instructions
first, each user message's images (the copies the model was sent) before its
text, and answers replaced by their correction where there is one."""

import base64
from dataclasses import dataclass

from django.core import signing
from django.urls import reverse

from chat.live.request_body import SYSTEM_PROMPT
from chat.models import Message

LINK_SALT = "review.datasets.image"


@dataclass
class ImageSource:
    """How images go in: `data:` URIs of the sent copy, or signed links to it
    that expire after `hours` (base_url: the site's address)."""

    links: bool = False
    base_url: str = ""
    hours: int = 24

    def url(self, image):
        if not self.links:
            data = base64.b64encode(image.sent_bytes()).decode("ascii")
            return f"data:{image.sent_mime};base64,{data}"
        token = signing.dumps([image.pk, self.hours], salt=LINK_SALT)
        return self.base_url + reverse("admin:review_dataset_image", args=[token])


def read_link(token):
    """The image id a link names, or None if it was forged or has expired."""
    try:
        pk, hours = signing.loads(token, salt=LINK_SALT, max_age=None)
        signing.loads(token, salt=LINK_SALT, max_age=hours * 3600)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return pk


def system(item):
    messages = [{"role": "system", "content": SYSTEM_PROMPT}]
    if item.instructions:
        messages.append({"role": "system", "content": item.instructions})
    return messages


def user_message(message, source):
    parts = [
        {"type": "image_url", "image_url": {"url": source.url(image), "detail": image.detail}}
        for image in message.images
    ]
    if message.text:
        parts.append({"type": "text", "text": message.text})
    return {"role": "user", "content": parts}


def answer_text(message, *, corrected=True):
    return (message.correction if corrected else None) or message.text


def chat(item, path, source, *, corrected=True):
    """The OpenAI messages for `path` (rows.Msg, first to last). Images an
    answer generated are not sent back: OpenAI's format takes no image in an
    assistant message."""
    messages = system(item)
    for message in path:
        if message.role == Message.Role.USER:
            messages.append(user_message(message, source))
        elif message.role == Message.Role.ASSISTANT:
            messages.append(
                {"role": "assistant", "content": answer_text(message, corrected=corrected)}
            )
    return messages


def user_images(path):
    return [image for m in path if m.role == Message.Role.USER for image in m.images]
