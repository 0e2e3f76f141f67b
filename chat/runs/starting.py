"""Starting a run: what it is run on, checked, then stored in one transaction
(the run and one pending item per page or image), or refused with a sentence
and nothing stored."""

import uuid

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chat.gateway import catalog
from chat.models import Document, ImageAttachment, Run, RunItem
from chat.refusals import Refusal

PROMPT_MAX_CHARS = 20_000


class RunRefused(Refusal):
    def __init__(self, message):
        super().__init__(message, code="run_refused")


def start(owner, *, prompt, model, document=None, images=(), schema=None):
    """Store a run of `prompt` by `model` over the pages of `owner`'s document
    (its code) or over `owner`'s images (their codes, in order), each answer
    asked to fit `schema` if given (checked by the caller: chat/extraction/);
    return it."""
    prompt = prompt.strip()
    if not prompt and schema:
        prompt = _("Extract these fields from the image.")
    if not prompt:
        raise RunRefused(_("Write the prompt to send with every page or image."))
    if len(prompt) > PROMPT_MAX_CHARS:
        raise RunRefused(
            _("The prompt is %(length)d characters long; a run's prompt may be %(most)d.")
            % {"length": len(prompt), "most": PROMPT_MAX_CHARS}
        )
    if model not in catalog.ids():
        raise RunRefused(_("“%(model)s” is not a model this site offers.") % {"model": model})
    if document and images:
        raise RunRefused(_("A run goes over one document's pages or over images, not both."))
    pages = _pages(owner, document) if document else _images(owner, images)
    if not pages:
        raise RunRefused(_("Choose a document or some images to run the prompt on."))
    if len(pages) > settings.RUN_MAX_ITEMS:
        raise RunRefused(
            _("A run may go over %(most)d pages or images; this one has %(count)d: choose fewer.")
            % {"most": settings.RUN_MAX_ITEMS, "count": len(pages)}
        )
    with transaction.atomic():
        run = Run.objects.create(
            owner=owner,
            prompt=prompt,
            model=model,
            schema=schema,
            document=document and pages[0].document,
        )
        RunItem.objects.bulk_create(
            RunItem(run=run, position=number, image=image) for number, image in enumerate(pages, 1)
        )
    return run


def _pages(owner, code):
    document = Document.objects.filter(owner=owner, code=code).first()
    if document is None:
        raise RunRefused(_("That document is not one of yours, or it was deleted."))
    if document.status == Document.Status.RENDERING:
        raise RunRefused(
            _("“%(name)s” is still being rendered: start the run when all its pages are ready.")
            % {"name": document.name}
        )
    if document.status == Document.Status.FAILED:
        raise RunRefused(
            _("“%(name)s” could not be rendered, so it has no pages to run on.")
            % {"name": document.name}
        )
    return list(document.pages.order_by("page"))


def _is_uuid(text):
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _images(owner, codes):
    codes = list(dict.fromkeys(str(code) for code in codes))  # once each, in order
    if len(codes) > settings.RUN_MAX_ITEMS:
        return [None] * len(codes)  # refused for its size before anything is read
    valid = [code for code in codes if _is_uuid(code)]
    found = {
        str(image.code): image
        for image in ImageAttachment.objects.filter(owner=owner, code__in=valid)
    }
    missing = len(codes) - len(found)
    if missing:
        raise RunRefused(
            ngettext(
                "%(count)d of the chosen images is not yours or no longer exists.",
                "%(count)d of the chosen images are not yours or no longer exist.",
                missing,
            )
            % {"count": missing}
        )
    return [found[code] for code in codes]
