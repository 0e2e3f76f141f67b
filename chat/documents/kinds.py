"""Which files are documents, decided by their first bytes (never the name or
the browser's MIME type), and the refusal every step of documents raises."""

from django.conf import settings
from django.utils.translation import gettext

PDF, TIFF = "pdf", "tiff"
# Only at the start (after blank space): a PNG whose text chunk says "%PDF-" is an image.
PDF_MAGIC = b"%PDF-"
TIFF_MAGICS = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # classic and BigTIFF


class DocumentRejected(Exception):
    """A document we will not take; `message` is a sentence for the person,
    `reason` a word for the metrics."""

    def __init__(self, message, *, reason="not_accepted"):
        super().__init__(message)
        self.message = message
        self.reason = reason


def document_kind(head):
    """PDF or TIFF by the file's first bytes, or None for anything else.

    >>> document_kind(b"%PDF-1.7 ...")
    'pdf'
    """
    if head.lstrip()[:5] == PDF_MAGIC:
        return PDF
    if head[:4] in TIFF_MAGICS:
        return TIFF
    return None


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}"


def check_document_size(size, *, name):
    limit = settings.DOCUMENT_MAX_BYTES
    if size > limit:
        raise DocumentRejected(
            gettext("“%(name)s” is %(size)s MB; documents must be at most %(limit)s MB.")
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(limit)},
            reason="too_large",
        )
