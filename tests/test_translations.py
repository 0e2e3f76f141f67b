"""The translations: English as written, Simplified Chinese complete. The
compiled catalogues (committed) must say what their .po files say, every
message must have its Chinese, and no marked sentence in the code, the
templates or the page's scripts may be missing from the catalogues."""

import gettext
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from chat.accounts.catalogues import compile_catalogue, po_files, read
from tests.support.services import require_service

ROOT = Path(__file__).resolve().parents[1]
LOCALE = ROOT / "locale"
CATALOGUES = list(po_files([LOCALE]))


def entries(mo_bytes):
    return gettext.GNUTranslations(io.BytesIO(mo_bytes))._catalog


def test_there_are_chinese_catalogues_for_the_server_and_the_page():
    assert [po.relative_to(LOCALE).as_posix() for po in CATALOGUES] == [
        "zh_Hans/LC_MESSAGES/django.po", "zh_Hans/LC_MESSAGES/djangojs.po"]  # fmt: skip


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.name)
def test_each_compiled_catalogue_matches_its_source(po):
    # Rebuild with: manage.py compile_catalogues
    assert entries(po.with_suffix(".mo").read_bytes()) == entries(compile_catalogue(po))


@pytest.mark.parametrize("po", CATALOGUES, ids=lambda po: po.name)
def test_every_message_has_its_chinese_translation(po):
    untranslated = [
        message.id
        for message in read(po)
        if message.id and (not all(message.string if isinstance(message.string, tuple)
                                   else [message.string]) or message.fuzzy)
    ]  # fmt: skip
    assert untranslated == []


def test_it_reports_a_message_without_its_translation(tmp_path):
    po = tmp_path / "django.po"
    po.write_text('msgid ""\nmsgstr ""\n"Language: zh_Hans\\n"\n\nmsgid "Send"\nmsgstr ""\n')
    assert [m.id for m in read(po) if m.id and not m.string] == ["Send"]


def test_no_marked_sentence_is_missing_from_the_catalogues(tmp_path):
    """makemessages over a copy of the checkout finds nothing the catalogues lack."""
    require_service(shutil.which("xgettext"), "gettext is not installed (apt-get install gettext)")
    copy = tmp_path / "checkout"
    for name in ("chat", "templates", "tokengate_site", "locale"):
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "static" / "js", copy / "static" / "js")
    shutil.copy(ROOT / "manage.py", copy)
    for domain, extensions in (("django", ["-e", "html,txt,py,md"]), ("djangojs", [])):
        # .md: the dataset card (templates/admin/review/dataset_card.md).
        subprocess.run(
            [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-d", domain,
             "--no-obsolete", *extensions],
            cwd=copy, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        found = {(m.context, m.id) for m in read(copy / f"locale/zh_Hans/LC_MESSAGES/{domain}.po")
                 if m.id}  # fmt: skip
        known = {(m.context, m.id) for m in read(LOCALE / f"zh_Hans/LC_MESSAGES/{domain}.po")
                 if m.id}  # fmt: skip
        assert sorted(map(str, found - known)) == [], f"run makemessages for {domain}"
        # And the other way: a sentence makemessages cannot read (a context held
        # in a constant, say) would be dropped as obsolete by its next run.
        assert sorted(map(str, known - found)) == [], f"{domain}: not found in the code"
