"""Closing an account: logged out everywhere, every conversation gone from
their view at once (and their share links with them), then kept for review
for CLOSED_ACCOUNT_RETENTION_DAYS or, at 0, deleted for good now."""

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext, ngettext

from chat.live import turns
from chat.models import Conversation, Derivative, ImageAttachment


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
    if settings.CLOSED_ACCOUNT_RETENTION_DAYS == 0:
        purge(user)


def purge(user):
    """Delete the user's conversations and images, and the files no one else uses."""
    attachments = ImageAttachment.objects.filter(owner=user)
    stored = {}
    for sha, original, thumbnail in attachments.values_list("sha256", "file", "thumbnail"):
        stored.setdefault(sha, set()).update(filter(None, (original, thumbnail)))
    with transaction.atomic():
        Conversation.objects.filter(owner=user).delete()
        attachments.delete()
        in_use = set(
            ImageAttachment.objects.filter(sha256__in=stored).values_list("sha256", flat=True)
        )
        unused = set(stored) - in_use
        files = {name for sha in unused for name in stored[sha]}
        files.update(Derivative.objects.filter(source__in=unused).values_list("file", flat=True))
        Derivative.objects.filter(source__in=unused).delete()
    for name in files:  # after the rows: a failure leaves a stray file, never a dangling row
        if default_storage.exists(name):
            default_storage.delete(name)
