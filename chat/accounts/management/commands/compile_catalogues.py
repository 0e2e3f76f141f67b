"""Compile the translations (locale/*/LC_MESSAGES/*.po) into the .mo files
Django reads, with Babel (pure Python: no gettext needed, so a clean checkout
and CI build them the same way). The .mo files are committed;
tests/test_translations.py checks that they match their .po files.

    manage.py compile_catalogues
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from chat.accounts.catalogues import compile_catalogue, po_files


class Command(BaseCommand):
    help = "Compile locale/*/LC_MESSAGES/*.po into .mo files (with Babel)."

    def handle(self, *args, **options):
        for po in po_files(settings.LOCALE_PATHS):
            mo = po.with_suffix(".mo")
            mo.write_bytes(compile_catalogue(po))
            self.stdout.write(f"{po} -> {mo.name}")
