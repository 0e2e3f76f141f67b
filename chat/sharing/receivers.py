"""Deleting a conversation revokes its links (the page checks it too)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from chat.models import Conversation
from chat.sharing.models import Share


@receiver(post_save, sender=Conversation)
def revoke_links_of_deleted(sender, instance, update_fields=None, **kwargs):
    if instance.deleted is not None and (update_fields is None or "deleted" in update_fields):
        Share.objects.filter(conversation=instance, revoked=None).update(revoked=instance.deleted)
