"""Download all my conversations: a small account's archive is built in the
request, a large one's on the accounts thread, with a link once it is ready."""

import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db.models import Count, Q, Sum
from django.utils import translation
from django.utils.timezone import now

from chat.accounts import jobs
from chat.accounts.archive import write_archive
from chat.accounts.models import Export
from chat.models import Document, ImageAttachment, Message

logger = logging.getLogger("chat.accounts")


def is_large(user):
    """Too much to build in the request: more images, messages or bytes of
    images and documents than the EXPORT_INLINE_* settings allow."""
    # The images the archive carries: in conversations, and the items of runs.
    carried = (
        ImageAttachment.objects.filter(owner=user)
        .filter(Q(message__isnull=False) | Q(run_items__isnull=False))
        .values("pk")
    )
    images = ImageAttachment.objects.filter(pk__in=carried).aggregate(
        count=Count("pk"), bytes=Sum("size", default=0)
    )
    # And each document's file as uploaded: a few scanned PDFs can outweigh every image.
    document_bytes = (
        Document.objects.filter(owner=user).exclude(file="").aggregate(bytes=Sum("size", default=0))
    )["bytes"]
    messages = Message.objects.filter(conversation__owner=user).count()
    return (
        images["count"] > settings.EXPORT_INLINE_IMAGES
        or messages > 10 * settings.EXPORT_INLINE_IMAGES
        or images["bytes"] + document_bytes > settings.EXPORT_INLINE_BYTES
    )


def start(user):
    """A new Export of `user`'s conversations: ready on return for a small
    account, else being built in the background."""
    export = Export.objects.create(user=user)
    # Its pages and README in the language the person asked in, either way.
    if is_large(user):
        jobs.later(build, export.pk, translation.get_language())
    else:
        build(export.pk, translation.get_language())
        export.refresh_from_db()
    return export


def build(pk, language=None):
    """Write Export `pk`'s zip; its pages in `language`, the one the person asked in."""
    with translation.override(language):
        _build(pk)


def _build(pk):
    export = Export.objects.select_related("user").get(pk=pk)
    try:
        with tempfile.TemporaryFile() as out:
            export.conversations, export.images = write_archive(export.user, out)
            export.size = out.tell()
            out.seek(0)
            export.file = default_storage.save(f"exports/{export.code}.zip", File(out))
        export.status = Export.Status.READY
    except Exception:
        logger.exception("the archive of user %s was not built", export.user_id)
        export.status = Export.Status.FAILED
    export.finished = now()
    export.save()
