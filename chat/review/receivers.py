"""Review listens to chat: staff reads of images (originals and cleaned copies)
go to the access log, and
conversations enter the queue by rule (thumbs down, failed answer, a sample),
and comparisons' pairs the pair queue (a share of blind picks, every "both bad")."""

import random

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from chat.models import Feedback, Message, Pick
from chat.review import access, pairs, queue
from chat.review.models import AccessLog, QueueItem
from chat.signals import answer_failed_without_save, image_copy_opened, original_image_opened


@receiver(original_image_opened)
def log_original_image(sender, request, image, **kwargs):
    message = image.message
    access.record(
        request,
        AccessLog.Kind.ORIGINAL_IMAGE,
        what=f"original image {image.name or image.code} ({image.sha256[:12]})",
        conversation=message.conversation if message else None,
        owner=image.owner,
    )


@receiver(image_copy_opened)
def log_image_copy(sender, request, image, copy, **kwargs):
    message = image.message
    access.record(
        request,
        AccessLog.Kind.IMAGE_COPY,
        what=f"{copy} of image {image.name or image.code} ({image.sha256[:12]})",
        conversation=message.conversation if message else None,
        owner=image.owner,
    )


@receiver(post_save, sender=Feedback)
def queue_thumbs_down(sender, instance, **kwargs):
    if instance.rating == Feedback.Rating.DOWN:
        queue.add(instance.message.conversation_id, QueueItem.Reason.THUMBS_DOWN)


@receiver(answer_failed_without_save)
def queue_failed_without_save(sender, message, **kwargs):
    # The sweep marks abandoned answers with an update(): no post_save to catch.
    queue.add(message.conversation_id, QueueItem.Reason.FAILED)


@receiver(post_save, sender=Message)
def queue_by_rule(sender, instance, created, update_fields=None, **kwargs):
    if instance.status == Message.Status.ERROR and (
        update_fields is None or "status" in update_fields
    ):
        queue.add(instance.conversation_id, QueueItem.Reason.FAILED)
    elif created and instance.role == Message.Role.USER and settings.REVIEW_SAMPLE_PERCENT > 0:
        # Sample conversations, not turns: only on a conversation's first message.
        first = (
            not Message.objects.filter(
                conversation_id=instance.conversation_id, role=Message.Role.USER
            )
            .exclude(pk=instance.pk)
            .exists()
        )
        if first and random.random() * 100 < settings.REVIEW_SAMPLE_PERCENT:
            queue.add(instance.conversation_id, QueueItem.Reason.SAMPLE)


@receiver(post_save, sender=Pick)
def queue_pair_by_rule(sender, instance, **kwargs):
    reason = pairs.reason_for(instance)
    if reason is not None:
        pairs.add(instance, reason)
