"""File names for downloaded images: the conversation's title, the model and
the time, with the extension of the bytes served."""

import re

from django.utils.timezone import localtime

EXTENSIONS = {"PNG": "png", "JPEG": "jpg", "GIF": "gif", "WEBP": "webp", "HEIF": "heic"}


def _slug(text, length=60):
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip(".-")
    return text[:length].strip(".-")


def download_name(image):
    message = image.message
    title = model = ""
    if message is not None:
        title = message.conversation.title
        model = message.model
    moment = localtime(message.created if message is not None else image.created)
    parts = [_slug(title) or "image", _slug(model), moment.strftime("%Y-%m-%d_%H%M%S")]
    return "_".join(p for p in parts if p) + "." + EXTENSIONS.get(image.format, "bin")
