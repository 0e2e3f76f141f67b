"""Writing one parsed conversation: all of it or none of it, and not again if
it is already here."""

from django.db import transaction

from chat import images
from chat.accounts.models import ImportedConversation
from chat.models import Conversation, Message


def already_here(user, key):
    return (
        bool(key)
        and ImportedConversation.objects.filter(
            user=user, key=key, conversation__deleted=None
        ).exists()
    )


def checked_images(source, parsed):
    """{ref: [CheckedImage]} read and checked before anything is written; images
    the file lacks or that are not images are counted, not fatal."""
    found, missing = {}, 0
    for message in parsed.messages:
        found[message.ref] = []
        for ref in message.images:
            read = source.image(ref)
            try:
                if read is None:
                    raise images.ImageRejected("missing", reason="missing")
                data, name = read
                found[message.ref].append((images.check_image(data, name=name), name))
            except images.ImageRejected:
                missing += 1
    return found, missing


def land(user, parsed, pictures):
    """Create the conversation, its messages (branches as versions) and images
    in one transaction; returns it."""
    with transaction.atomic():
        conversation = Conversation.objects.create(
            owner=user, title=parsed.title or "Imported conversation",
            model=(parsed.model or next((m.model for m in parsed.messages if m.model), ""))[:100],
            **{k: v for k, v in (("created", parsed.created), ("updated", parsed.updated)) if v},
        )  # fmt: skip
        made = {}
        for message in parsed.messages:
            row = Message(
                conversation=conversation, parent=made.get(message.parent), role=message.role,
                text=message.text, model=message.model[:100], status=Message.Status.COMPLETE,
                **({"created": message.created} if message.created else {}),
            )  # fmt: skip
            row.save()
            for position, (checked, name) in enumerate(pictures.get(message.ref, [])):
                attachment = images.store_image(owner=user, checked=checked, name=name[:255])
                attachment.message, attachment.position = row, position
                attachment.save(update_fields=["message", "position"])
            made[message.ref] = row
        if made:
            current = made.get(parsed.current) or max(
                made.values(), key=lambda m: (m.created, m.pk)
            )
            conversation.current_id = conversation.latest_leaf(current)
            conversation.save(update_fields=["current"])
        if parsed.key:
            ImportedConversation.objects.update_or_create(
                user=user, key=parsed.key[:200], defaults={"conversation": conversation}
            )
        return conversation
