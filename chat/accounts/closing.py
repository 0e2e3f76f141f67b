"""Closing an account: logged out everywhere, every conversation gone from
their view at once (and their share links with them), their runs stopped,
then kept for review for CLOSED_ACCOUNT_RETENTION_DAYS or, at 0, deleted for
good now with their runs, documents, saved schemas and picks."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext, ngettext

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
        return gettext("Your conversations and images are deleted for good at once.")
    return ngettext(
        "Your conversations leave your view at once; this server keeps them %(days)s day "
        "for review, then deletes them for good.",
        "Your conversations leave your view at once; this server keeps them %(days)s days "
        "for review, then deletes them for good.",
        days,
    ) % {"days": days}


def close(user):
    # An inactive user's sessions no longer log in (ModelBackend.get_user).
    user.is_active = False
    user.save(update_fields=["is_active"])
    for conversation in Conversation.objects.for_user(user):
        turns.delete(conversation)  # its sockets close, its links are revoked
    for run in Run.objects.filter(owner=user, stopped=None):
        run.stop()  # nothing more is sent, and paid for, on a closed account
    if settings.CLOSED_ACCOUNT_RETENTION_DAYS == 0:
        purge(user)


def purge(user):
    """Delete the user's conversations, images, runs, documents, saved schemas
    and picks, and the files no one else uses."""
    attachments = ImageAttachment.objects.filter(owner=user)
    stored = {}
    for sha, original, thumbnail in attachments.values_list("sha256", "file", "thumbnail"):
        stored.setdefault(sha, set()).update(filter(None, (original, thumbnail)))
    documents = Document.objects.filter(owner=user)
    document_files = dict(documents.exclude(file="").values_list("sha256", "file"))
    with transaction.atomic():
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
        files = {name for sha in unused for name in stored[sha]}
        files.update(Derivative.objects.filter(source__in=unused).values_list("file", flat=True))
        Derivative.objects.filter(source__in=unused).delete()
        shared = set(
            Document.objects.filter(sha256__in=document_files).values_list("sha256", flat=True)
        )
        files.update(name for sha, name in document_files.items() if sha not in shared)
    for name in files:  # after the rows: a failure leaves a stray file, never a dangling row
        if default_storage.exists(name):
            default_storage.delete(name)
