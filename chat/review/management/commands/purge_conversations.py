"""Delete old conversations, and every stored file that no remaining row uses.

    manage.py purge_conversations --older-than 365
    manage.py purge_conversations --older-than 30 --deleted-only

Files are content-addressed (images/<sha>, thumbnails/<sha>, derivatives/<sha>-<kind>)
and shared by every attachment with the same bytes, whoever uploaded them, so a
file goes only when no attachment left points at its sha256.
"""

from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation
from django.utils.timezone import now
from django.utils.translation import gettext, ngettext

from chat.accounts import language
from chat.models import Conversation, Derivative, ImageAttachment, Message


class Command(BaseCommand):
    help = "Delete conversations older than N days, with the files no other row uses."

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, required=True, metavar="DAYS",
            help="last activity more than DAYS days ago",
        )  # fmt: skip
        parser.add_argument(
            "--deleted-only", action="store_true",
            help="only conversations their users deleted DAYS days ago or more",
        )  # fmt: skip
        parser.add_argument("--dry-run", action="store_true", help="say what would go")

    def handle(self, *args, **options):
        with translation.override(language.for_terminal()):  # the operator's locale
            self.purge(**options)

    def purge(self, *, older_than, deleted_only, dry_run, **options):
        if older_than < 0:
            raise CommandError(gettext("--older-than must be 0 or more days."))
        cutoff = now() - timedelta(days=older_than)
        conversations = Conversation.objects.all()
        if deleted_only:
            conversations = conversations.filter(deleted__lt=cutoff)
        else:
            conversations = conversations.filter(updated__lt=cutoff)
        streaming = Message.objects.filter(
            conversation__in=conversations, status=Message.Status.STREAMING
        ).values("conversation")
        conversations = conversations.exclude(pk__in=streaming)
        attachments = ImageAttachment.objects.filter(message__conversation__in=conversations)
        stored = {}  # sha256 -> the names its attachments were stored under
        for sha, original, thumbnail in attachments.values_list("sha256", "file", "thumbnail"):
            stored.setdefault(sha, set()).update(filter(None, (original, thumbnail)))
        shas = set(stored)
        count = conversations.count()
        if dry_run:
            self.stdout.write(
                ngettext(
                    "Would delete %(count)s conversation and up to %(images)s images.",
                    "Would delete %(count)s conversations and up to %(images)s images.",
                    count,
                ) % {"count": count, "images": len(shas)}
            )  # fmt: skip
            return
        with transaction.atomic():
            conversations.delete()  # messages, attachments, review data go with them
            in_use = set(
                ImageAttachment.objects.filter(sha256__in=shas).values_list("sha256", flat=True)
            )
            unused = shas - in_use
            files = {name for sha in unused for name in stored[sha]}
            files.update(
                Derivative.objects.filter(source__in=unused).values_list("file", flat=True)
            )
            Derivative.objects.filter(source__in=unused).delete()
        # Files last, after the rows are gone for good: a failed delete leaves a
        # stray file, never a row pointing at nothing.
        for name in files:
            if default_storage.exists(name):
                default_storage.delete(name)
        self.stdout.write(
            ngettext(
                "Deleted %(count)s conversation and %(files)s files of %(images)s images no "
                "longer used (%(kept)s still used elsewhere).",
                "Deleted %(count)s conversations and %(files)s files of %(images)s images no "
                "longer used (%(kept)s still used elsewhere).",
                count,
            ) % {"count": count, "files": len(files), "images": len(unused),
                 "kept": len(shas) - len(unused)}
        )  # fmt: skip
