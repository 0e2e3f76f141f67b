"""An import from upload to the last conversation: the file is stored, then
read on the accounts thread. Every conversation is parsed (and the file's
shape checked) before the first is written, so a malformed file lands
nothing; then each lands whole, with the progress saved after each."""

from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.timezone import now
from django.utils.translation import gettext, ngettext

from chat.accounts import jobs
from chat.accounts.imports.landing import already_here, checked_images, land
from chat.accounts.imports.parsed import ImportRefused
from chat.accounts.imports.reading import Source
from chat.accounts.models import Import


def start(user, upload):
    """Store the uploaded file and import it in the background; returns the Import."""
    if Import.objects.filter(user=user, status=Import.Status.WORKING).exists():
        raise ImportRefused(gettext("An import is already running: wait for it to finish."))
    record = Import.objects.create(user=user, name=(upload.name or "export")[:255])
    record.file = default_storage.save(f"imports/{record.code}", upload)
    record.save(update_fields=["file"])
    jobs.later(run, record.pk, translation.get_language())
    return record


def _summary(record, missing):
    values = {"added": record.added, "skipped": record.skipped, "missing": missing}
    if record.skipped:
        sentence = ngettext(
            "%(added)s conversation imported; %(skipped)s already here, skipped.",
            "%(added)s conversations imported; %(skipped)s already here, skipped.",
            record.added,
        )
    else:
        sentence = ngettext(
            "%(added)s conversation imported.", "%(added)s conversations imported.", record.added
        )
    if missing:
        sentence += " " + ngettext(
            "%(missing)s image the file refers to was missing or not an image: left out.",
            "%(missing)s images the file refers to were missing or not images: left out.",
            missing,
        )
    return sentence % values


def run(pk, language=None):
    """Import the file of Import `pk`; its sentences in `language`, the one the
    person uploaded it in."""
    with translation.override(language):
        _run(pk)


def _run(pk):
    record = Import.objects.select_related("user").get(pk=pk)
    user, missing = record.user, 0
    try:
        with record.file.open("rb") as file:
            source = Source(file, record.name)
            record.kind, record.total = source.kind, len(source.conversations)
            record.save(update_fields=["kind", "total"])
            parsed = []
            for number, raw in enumerate(source.conversations, 1):
                if not isinstance(raw, dict):
                    raise ImportRefused(
                        gettext("Conversation %(number)s of the file is not an object.")
                        % {"number": number}
                    )
                parsed.append(source.parse(raw, number))
            for number, conversation in enumerate(parsed, 1):
                if already_here(user, conversation.key):
                    record.skipped += 1
                elif conversation.messages:
                    pictures, lacking = checked_images(source, conversation)
                    land(user, conversation, pictures)
                    record.added += 1
                    missing += lacking
                record.done = number
                record.save(update_fields=["done", "added", "skipped"])
        record.status, record.note = Import.Status.DONE, _summary(record, missing)
    except ImportRefused as refusal:
        record.status, record.note = Import.Status.FAILED, refusal.message
    except Exception:
        record.status = Import.Status.FAILED
        record.note = gettext("The import failed on our side; nothing of it was lost: try again.")
        raise
    finally:
        record.finished = now()
        record.save(update_fields=["status", "note", "finished"])
        if record.file:
            default_storage.delete(record.file.name)
