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

from chat.accounts import closing
from chat.accounts.models import ClosedAccount


class Command(BaseCommand):
    help = "Delete all the accounts closed CLOSED_ACCOUNT_RETENTION_DAYS days ago held."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="say which would go")

    def handle(self, *args, dry_run, **options):
        days = settings.CLOSED_ACCOUNT_RETENTION_DAYS
        if dry_run:
            due = ClosedAccount.objects.due(days).select_related("user")
            names = ", ".join(record.user.get_username() for record in due) or "none"
            self.stdout.write(f"Would purge the accounts closed over {days} days ago: {names}.")
            return
        purged = closing.purge_due()
        names = ", ".join(record.user.get_username() for record in purged) or "none"
        self.stdout.write(f"Purged the accounts closed over {days} days ago: {names}.")
