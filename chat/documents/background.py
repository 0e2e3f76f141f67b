"""Rendering a document's pages after the upload has answered: the person sees
the first pages while the rest are drawn (the page asks for them,
`views/documents.py`). At most two documents render at once per process (the
renderer is a process of its own; this is a thread that waits on it and
stores the pages)."""

import logging
from concurrent.futures import ThreadPoolExecutor

from django.db import close_old_connections
from django.utils import translation
from django.utils.translation import gettext

from chat.documents.intake import fail, store_pages

logger = logging.getLogger("chat.documents")

_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="documents")
# The tests render within the request, where their database transaction can see it.
IN_BACKGROUND = True


def render_later(document, rendering, *, detail):
    if not IN_BACKGROUND:
        return store_pages(document, rendering, detail=detail)
    # Its failure sentences are stored in the language of the person uploading.
    return _pool.submit(_render, document, rendering, detail, translation.get_language())


def _render(document, rendering, detail, language):
    with translation.override(language):
        _store(document, rendering, detail)


def _store(document, rendering, detail):
    try:
        store_pages(document, rendering, detail=detail)
    except Exception:
        logger.exception("document %s failed while its pages were stored", document.code)
        rendering.close()
        fail(
            document,
            gettext("“%(name)s” could not be stored; try again.") % {"name": document.name},
        )
    finally:
        close_old_connections()
