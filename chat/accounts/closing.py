"""Closing an account: logged out everywhere, every conversation gone from
their view at once (and their share links with them), their runs stopped,
then everything they made kept for review for CLOSED_ACCOUNT_RETENTION_DAYS
and deleted by the daily `manage.py purge_closed_accounts`, or, at 0, deleted
for good now: conversations, images, runs, documents, saved schemas, picks,
archives and imports. A ClosedAccount row records the closing, and stays."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext, ngettext

from chat.accounts.models import ClosedAccount, Export, Import
from chat.live import turns
from chat.models import (
    Conversation,
    Derivative,
    Document,
    ImageAttachment,
    Pick,
    Run,
    SavedSchema,
)


def retention_sentence():
    days = settings.CLOSED_ACCOUNT_RETENTION_DAYS
    if days == 0:
        return gettext(
            "Everything in your account (conversations, images, runs, documents, saved "
            "schemas, picks and archives) is deleted for good at once."
        )
    # Kept by the daily manage.py purge_closed_accounts, which reads the same setting.
    return ngettext(
        "Everything in your account (conversations, images, runs, documents, saved schemas, "
        "picks and archives) leaves your view at once; this server keeps it %(days)s day "
        "for review, then deletes it for good.",
        "Everything in your account (conversations, images, runs, documents, saved schemas, "
        "picks and archives) leaves your view at once; this server keeps it %(days)s days "
        "for review, then deletes it for good.",
        days,
    ) % {"days": days}


def close(user):
    # An inactive user's sessions no longer log in (ModelBackend.get_user).
    user.is_active = False
    user.save(update_fields=["is_active"])
    record, _ = ClosedAccount.objects.update_or_create(
        user=user, defaults={"closed": now(), "purged": None}
    )
    for conversation in Conversation.objects.for_user(user):
        turns.delete(conversation)  # its sockets close, its links are revoked
    for run in Run.objects.filter(owner=user, stopped=None):
        run.stop()  # nothing more is sent, and paid for, on a closed account
    if settings.CLOSED_ACCOUNT_RETENTION_DAYS == 0:
        purge(user)
        record.purged = now()
        record.save(update_fields=["purged"])


def purge_due():
    """Purge every account closed more than CLOSED_ACCOUNT_RETENTION_DAYS days
    ago; returns their ClosedAccount records. The records of accounts an admin
    re-activated are deleted instead: those accounts are open again."""
    ClosedAccount.objects.filter(user__is_active=True).delete()
    due = ClosedAccount.objects.due(settings.CLOSED_ACCOUNT_RETENTION_DAYS).select_related("user")
    purged = []
    for record in due:
        purge(record.user)
        record.purged = now()
        record.save(update_fields=["purged"])
        purged.append(record)
    return purged


def purge(user):
    """Delete the user's conversations, images, runs, documents, saved schemas,
    picks, archives and imports, and the files no one else uses."""
    attachments = ImageAttachment.objects.filter(owner=user)
    stored = {}
    for sha, original, thumbnail in attachments.values_list("sha256", "file", "thumbnail"):
        stored.setdefault(sha, set()).update(filter(None, (original, thumbnail)))
    documents = Document.objects.filter(owner=user)
    document_files = dict(documents.exclude(file="").values_list("sha256", "file"))
    # Their archives hold all of the above, and imports' files are theirs alone.
    files = set(Export.objects.filter(user=user).exclude(file="").values_list("file", flat=True))
    files.update(Import.objects.filter(user=user).exclude(file="").values_list("file", flat=True))
    with transaction.atomic():
        Export.objects.filter(user=user).delete()
        Import.objects.filter(user=user).delete()
        Pick.objects.filter(user=user).delete()
        Conversation.objects.filter(owner=user).delete()
        Run.objects.filter(owner=user).delete()
        SavedSchema.objects.filter(owner=user).delete()
        documents.delete()  # and their pages
        attachments.delete()
        in_use = set(
            ImageAttachment.objects.filter(sha256__in=stored).values_list("sha256", flat=True)
        )
        unused = set(stored) - in_use
        files.update(name for sha in unused for name in stored[sha])
        files.update(Derivative.objects.filter(source__in=unused).values_list("file", flat=True))
        Derivative.objects.filter(source__in=unused).delete()
        shared = set(
            Document.objects.filter(sha256__in=document_files).values_list("sha256", flat=True)
        )
        files.update(name for sha, name in document_files.items() if sha not in shared)
    for name in files:  # after the rows: a failure leaves a stray file, never a dangling row
        if default_storage.exists(name):
            default_storage.delete(name)
