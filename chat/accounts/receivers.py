"""Accounts listen to the user model: re-activating a closed account (the
admin's "Active" box) opens it again, so its pending purge is cancelled."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from chat.accounts.models import ClosedAccount


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def reopen_closed_account(sender, instance, update_fields=None, raw=False, **kwargs):
    # A login saves last_login alone: no need to ask.
    if raw or not instance.is_active or (update_fields and "is_active" not in update_fields):
        return
    ClosedAccount.objects.filter(user=instance).delete()
