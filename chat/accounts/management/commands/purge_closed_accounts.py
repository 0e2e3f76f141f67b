"""Keep what the "close my account" page promises: everything an account
held (conversations, images, runs, documents, saved schemas, picks, archives,
imports, and the files no one else uses) is deleted CLOSED_ACCOUNT_RETENTION_DAYS
days after its owner closed it. Run daily, from cron:

    manage.py purge_closed_accounts
    manage.py purge_closed_accounts --dry-run

It reads the setting itself, so the page and the purge cannot disagree. The
user row stays, inactive, with its ClosedAccount record (when it was closed and
purged). An account an admin re-activated is not purged.
"""

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

from chat.accounts import closing, language
from chat.accounts.models import ClosedAccount


class Command(BaseCommand):
    help = "Delete all the accounts closed CLOSED_ACCOUNT_RETENTION_DAYS days ago held."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="say which would go")

    def handle(self, *args, **options):
        with translation.override(language.for_terminal()):  # the operator's locale
            self.purge(**options)

    def purge(self, *, dry_run, **options):
        days = settings.CLOSED_ACCOUNT_RETENTION_DAYS
        if dry_run:
            records = list(ClosedAccount.objects.due(days).select_related("user"))
        else:
            records = closing.purge_due()
        comma = pgettext("between the names in a list", ", ")
        names = comma.join(record.user.get_username() for record in records)
        values = {"count": len(records), "days": days, "names": names}
        if not records:
            said = gettext(
                "No account closed longer ago than CLOSED_ACCOUNT_RETENTION_DAYS (%(days)s) "
                "is waiting to be purged."
            )
        elif dry_run:
            said = ngettext(
                "%(count)s account closed longer ago than CLOSED_ACCOUNT_RETENTION_DAYS "
                "(%(days)s) would be purged: %(names)s.",
                "%(count)s accounts closed longer ago than CLOSED_ACCOUNT_RETENTION_DAYS "
                "(%(days)s) would be purged: %(names)s.",
                len(records),
            )
        else:
            said = ngettext(
                "Purged %(count)s account closed longer ago than CLOSED_ACCOUNT_RETENTION_DAYS "
                "(%(days)s): %(names)s.",
                "Purged %(count)s accounts closed longer ago than CLOSED_ACCOUNT_RETENTION_DAYS "
                "(%(days)s): %(names)s.",
                len(records),
            )
        self.stdout.write(said % values)
