"""Remove uploads that never became part of a message (run daily from cron).

An image is uploaded before the message it belongs to is sent; one whose
message was never sent is removed after --hours (24 by default), with its
files unless another attachment has the same bytes; so is a document (PDF,
TIFF) none of whose pages was sent, with its original. Images and documents
a run was started on are kept: the run is their use.
"""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation
from django.utils.timezone import now
from django.utils.translation import ngettext

from chat.accounts import language
from chat.models import Derivative, Document, ImageAttachment


class Command(BaseCommand):
    help = "Remove uploaded images never attached to a message after a day."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=float, default=24, help="age before removal")

    def handle(self, *args, **options):
        with translation.override(language.for_terminal()):  # the operator's locale
            self.remove(**options)

    def remove(self, *, hours, **options):
        cutoff = now() - timedelta(hours=hours)
        # An image a run was started on is in use, message or not (chat/runs/).
        stale = ImageAttachment.objects.filter(
            message=None, created__lt=cutoff, run_items__isnull=True
        )
        removed = files = 0
        for attachment in stale.iterator():
            with transaction.atomic():
                attachment.delete()
                removed += 1
                if ImageAttachment.objects.filter(sha256=attachment.sha256).exists():
                    continue  # the same bytes are still in use elsewhere
                derivatives = Derivative.objects.filter(source=attachment.sha256)
                names = [attachment.file.name, attachment.thumbnail.name]
                names += [d.file.name for d in derivatives]
                derivatives.delete()
            for name in filter(None, names):
                if default_storage.exists(name):
                    default_storage.delete(name)
                    files += 1
        self.stdout.write(
            ngettext(
                "Removed %(count)s unattached image (%(files)s files).",
                "Removed %(count)s unattached images (%(files)s files).",
                removed,
            )
            % {"count": removed, "files": files}
        )
        self.remove_unsent_documents(cutoff)

    def remove_unsent_documents(self, cutoff):
        """Documents none of whose pages was sent, with their original unless
        the same bytes are another document's (failed renderings too)."""
        unsent = (
            Document.objects.filter(created__lt=cutoff, runs__isnull=True)
            .exclude(pages__message__isnull=False)
            .exclude(pages__run_items__isnull=False)
        )
        removed = 0
        for document in unsent.iterator():
            with transaction.atomic():
                document.delete()  # its pages are unsent: gone above, or never made
                shared = Document.objects.filter(sha256=document.sha256).exists()
            removed += 1
            if document.file and not shared and default_storage.exists(document.file.name):
                default_storage.delete(document.file.name)
        if removed:
            self.stdout.write(
                ngettext(
                    "Removed %(count)s unsent document.", "Removed %(count)s unsent documents.",
                    removed,
                ) % {"count": removed}
            )  # fmt: skip
