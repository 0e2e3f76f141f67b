"""Taking a document in: check its size and kind, open it in the renderer
process (which decides the page count, or refuses with a sentence), store the
original once by hash, then each page as an image of the ordinary pipeline
(chat/images/: checked, stored by hash, thumbnail, token estimates) that knows
its document and page number. A rendering that fails part way leaves no page
images and no original behind."""

import hashlib
from pathlib import Path

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext

from chat import images
from chat.documents.kinds import DocumentRejected, check_document_size, document_kind
from chat.documents.render import Rendering
from chat.images.derivatives import _store_once
from chat.models import Derivative, Document, ImageAttachment


def open_document(*, owner, data, name):
    """Check the document and open it in the renderer; return (Document, Rendering).

    Raises DocumentRejected with the sentence for the person (encrypted, damaged,
    too many pages, an absurd page size, a renderer that hung or crashed).
    The caller hands the Rendering to `store_pages`, now or on a thread.
    """
    kind = document_kind(data[:1024])
    if kind is None:
        raise DocumentRejected(
            gettext("“%(name)s” is not a PDF or TIFF document.") % {"name": name},
            reason="not_a_document",
        )
    check_document_size(len(data), name=name)
    rendering = Rendering(data, kind=kind, name=name)
    try:
        page_count = rendering.open()
    except DocumentRejected:
        rendering.close()
        raise
    digest = hashlib.sha256(data).hexdigest()
    file_name = _store_once(f"documents/{digest[:2]}/{digest}.{kind}", data)
    document = Document.objects.create(
        owner=owner,
        name=name[:255],
        kind=kind,
        file=file_name,
        sha256=digest,
        size=len(data),
        page_count=page_count,
    )
    return document, rendering


def page_name(document, number):
    return f"{Path(document.name).stem or 'document'} page {number}"


def store_pages(document, rendering, *, detail=ImageAttachment.Detail.AUTO):
    """Store each page as it comes out of the renderer; the document ends ready,
    or failed with its sentence and none of its pages kept."""
    texts = []
    try:
        for page in rendering.pages():
            checked = images.check_image(page.data, name=page_name(document, page.number))
            attachment = images.store_image(
                owner=document.owner,
                checked=checked,
                detail=detail,
                name=page_name(document, page.number),
            )
            attachment.document, attachment.page = document, page.number
            attachment.save(update_fields=["document", "page"])
            texts.append(page.text)
            document.page_texts, document.updated = texts, now()
            document.save(update_fields=["page_texts", "updated"])
    except (DocumentRejected, images.ImageRejected) as rejection:
        fail(document, rejection.message)
        return document
    finally:
        rendering.close()
    document.status = Document.Status.READY
    document.save(update_fields=["status"])
    return document


def fail(document, message):
    """Keep only the sentence: the pages and the original go."""
    names = _discard_pages(document)
    with transaction.atomic():
        document.status, document.error, document.updated = Document.Status.FAILED, message, now()
        document.save(update_fields=["status", "error", "updated"])
        if not Document.objects.filter(sha256=document.sha256).exclude(pk=document.pk).exists():
            names.append(document.file.name)
        document.file = ""
        document.save(update_fields=["file"])
    _delete_files(names)


def _discard_pages(document):
    """Delete the document's page images; return the files no one else uses."""
    names = []
    with transaction.atomic():
        pages = list(document.pages.all())
        document.pages.all().delete()
        for page in pages:
            if ImageAttachment.objects.filter(sha256=page.sha256).exists():
                continue  # the same bytes are another image's too
            derivatives = Derivative.objects.filter(source=page.sha256)
            names += [page.file.name, page.thumbnail.name, *(d.file.name for d in derivatives)]
            derivatives.delete()
    return names


def _delete_files(names):
    for name in filter(None, names):
        if default_storage.exists(name):
            default_storage.delete(name)
