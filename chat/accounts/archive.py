"""All of a person's conversations as one zip they can keep:

conversations.jsonl            one conversation a line, every message and
                               version (parent ids), images named by file
images/<id>.<ext>              each image as they sent it (or the model made it)
conversations/0001-<title>.html  one page per conversation that opens offline:
                               the images inside it, as the cleaned copies
"""

import base64
import json
import re
import zipfile

from django.template.loader import render_to_string
from django.utils.timezone import now

from chat import images
from chat.models import Conversation

EXTENSIONS = {"jpeg": "jpg", "heif": "heic"}


def _when(moment):
    return moment.isoformat() if moment else None


def _file_name(attachment):
    extension = attachment.format.lower() or "bin"
    return f"images/{attachment.code}.{EXTENSIONS.get(extension, extension)}"


def _slug(title):
    return re.sub(r"[^\w-]+", "-", title, flags=re.ASCII).strip("-")[:50].lower() or "conversation"


def _data_uri(attachment):
    """The cleaned high-detail copy inline, so the page needs nothing beside it."""
    derivative = images.derivative_for(attachment, kind="high")
    with derivative.file.open("rb") as f:
        return f"data:{derivative.mime};base64,{base64.b64encode(f.read()).decode('ascii')}"


def _record(conversation, messages):
    return {
        "id": str(conversation.code), "title": conversation.title, "model": conversation.model,
        "created": _when(conversation.created), "updated": _when(conversation.updated),
        "current": conversation.current_id, "instructions": conversation.instructions,
        "messages": [
            {"id": m.pk, "parent": m.parent_id, "role": m.role, "text": m.text, "model": m.model,
             "status": m.status, "error": m.error, "created": _when(m.created),
             "prompt_tokens": m.prompt_tokens, "completion_tokens": m.completion_tokens,
             "images": [{"file": _file_name(a), "name": a.name, "format": a.format,
                         "width": a.width, "height": a.height, "sha256": a.sha256}
                        for a in m.images.all()]}
            for m in messages
        ],
    }  # fmt: skip


def write_archive(user, out):
    """Write the zip of `user`'s conversations to the binary file `out`.
    Returns (conversations, images)."""
    # An untouched new conversation has nothing to keep.
    conversations = (
        Conversation.objects.for_user(user).filter(current__isnull=False).order_by("created", "id")
    )
    lines, image_count = [], 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, conversation in enumerate(conversations.iterator(), 1):
            messages = list(
                conversation.messages.prefetch_related("images").order_by("created", "id")
            )
            on_path = set(conversation.path_ids())
            for message in messages:
                message.on_path = message.pk in on_path
                message.inline_images = []
                for attachment in message.images.all():
                    if attachment.file:
                        with attachment.file.open("rb") as f:
                            archive.writestr(_file_name(attachment), f.read())
                        message.inline_images.append(_data_uri(attachment))
                        image_count += 1
            html = render_to_string(
                "accounts/export_conversation.html",
                {"conversation": conversation, "messages": messages, "exported": now()},
            )
            name = f"conversations/{number:04d}-{_slug(conversation.title)}.html"
            archive.writestr(name, html)
            lines.append(json.dumps(_record(conversation, messages), ensure_ascii=False))
        archive.writestr("conversations.jsonl", "".join(line + "\n" for line in lines))
    return len(lines), image_count
