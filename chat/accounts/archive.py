"""All of a person's conversations as one zip they can keep:

README.txt                     what follows, for the person, in their language
conversations.jsonl            one conversation a line, every message and
                               version (parent ids), images named by file
images/<id>.<ext>              each image as they sent it (or the model made it)
conversations/0001-<title>.html  one page per conversation that opens offline:
                               the images inside it, as the cleaned copies
runs.jsonl                     one run a line: prompt, model, schema, and each
                               item's image (a file in images/), answer, status, tokens
schemas.json                   the saved extraction schemas: name, fields, JSON Schema
picks.jsonl                    one comparison pick a line, with the models compared
documents.json                 each document: name, kind, pages (and their text);
documents/<id>.<pdf|tiff>      the document as uploaded
"""

import base64
import json
import re
import zipfile

from django.template.loader import render_to_string
from django.utils.timezone import now

from chat import images
from chat.models import Conversation, Document, Pick, Run, SavedSchema

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
             "images": [_image(a) for a in m.images.all()]}
            for m in messages
        ],
    }  # fmt: skip


def _lines(records):
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def _image(attachment):
    return {
        "file": _file_name(attachment), "name": attachment.name, "format": attachment.format,
        "width": attachment.width, "height": attachment.height, "sha256": attachment.sha256,
    }  # fmt: skip


def _run_record(run):
    return {
        "id": str(run.code), "prompt": run.prompt, "model": run.model, "schema": run.schema,
        "document": str(run.document.code) if run.document else None,
        "created": _when(run.created), "stopped": _when(run.stopped),
        "items": [
            {"position": i.position, "image": _image(i.image), "status": i.status,
             "answer": i.answer, "error": i.error, "prompt_tokens": i.prompt_tokens,
             "completion_tokens": i.completion_tokens, "started": _when(i.started),
             "finished": _when(i.finished)}
            for i in run.items.all()
        ],
    }  # fmt: skip


def _pick_record(pick):
    comparison = pick.comparison
    return {
        "conversation": str(comparison.conversation.code), "message": comparison.message_id,
        "models": [answer.model for answer in comparison.columns()],
        "outcome": pick.outcome, "winner_model": pick.winner_model or None,
        "winner": pick.winner_id, "blind": pick.blind, "reason": pick.reason,
        "created": _when(pick.created),
    }  # fmt: skip


def _document_file_name(document):
    return f"documents/{document.code}.{document.kind}"


def _document_record(document, stored):
    return {
        "id": str(document.code), "name": document.name, "kind": document.kind,
        "file": _document_file_name(document) if stored else None, "size": document.size,
        "sha256": document.sha256, "pages": document.page_count,
        "page_texts": document.page_texts, "status": document.status,
        "created": _when(document.created),
    }  # fmt: skip


def _write_the_rest(archive, user, written):
    """Runs, saved schemas, picks and documents: the person's own, nobody else's.
    Returns the number of run images not already written for a conversation."""
    new_images = 0
    runs = (
        Run.objects.filter(owner=user)
        .select_related("document")
        .prefetch_related("items__image")
        .order_by("created", "id")
    )
    run_records = []
    for run in runs:
        for item in run.items.all():
            name = _file_name(item.image)
            if item.image.file and name not in written:
                with item.image.file.open("rb") as f:
                    archive.writestr(name, f.read())
                written.add(name)
                new_images += 1
        run_records.append(_run_record(run))
    archive.writestr("runs.jsonl", _lines(run_records))

    schemas = SavedSchema.objects.filter(owner=user).order_by("name")
    archive.writestr("schemas.json", json.dumps(
        [{"name": s.name, "fields": s.fields, "schema": s.schema, "created": _when(s.created)}
         for s in schemas], ensure_ascii=False, indent=2))  # fmt: skip

    # Picks on conversations the person still has (a deleted one is no longer theirs to take).
    picks = (
        Pick.objects.filter(
            user=user, comparison__conversation__in=Conversation.objects.for_user(user)
        )
        .select_related("comparison__conversation")
        .order_by("created", "id")
    )
    archive.writestr("picks.jsonl", _lines(_pick_record(p) for p in picks))

    documents = []
    for document in Document.objects.filter(owner=user).order_by("created", "id"):
        stored = bool(document.file)
        if stored:
            with document.file.open("rb") as f:
                archive.writestr(_document_file_name(document), f.read())
        documents.append(_document_record(document, stored))
    archive.writestr("documents.json", json.dumps(documents, ensure_ascii=False, indent=2))
    return new_images


def write_archive(user, out):
    """Write the zip of everything `user` made to the binary file `out`.
    Returns (conversations, images)."""
    # An untouched new conversation has nothing to keep.
    conversations = (
        Conversation.objects.for_user(user).filter(current__isnull=False).order_by("created", "id")
    )
    lines, image_count, written = [], 0, set()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        # First, so it heads the list an archive tool shows.
        archive.writestr("README.txt", render_to_string(
            "accounts/export_readme.txt", {"username": user.get_username(), "made": now()}
        ))  # fmt: skip
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
                        written.add(_file_name(attachment))
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
        image_count += _write_the_rest(archive, user, written)
    return len(lines), image_count
