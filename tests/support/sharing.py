"""Conversations with images on their path, and links to them, for the sharing tests."""

from chat import images
from chat.models import Conversation, Message
from chat.sharing.models import Share


def store(owner, data, name="picture.png"):
    return images.store_image(owner=owner, checked=images.check_image(data, name=name), name=name)


def conversation_with_images(owner, *images_data, title="Two squares"):
    """A conversation whose one question carries `images_data`, and its answer."""
    conversation = Conversation.objects.create(owner=owner, title=title, model="gpt-4o")
    question = conversation.append(role=Message.Role.USER, text="What **colour** are they?")
    for position, data in enumerate(images_data):
        attachment = store(owner, data, name=f"photo-{position}.jpg")
        attachment.message, attachment.position = question, position
        attachment.save(update_fields=["message", "position"])
    conversation.append(role=Message.Role.ASSISTANT, text="Both are *red*.", model="gpt-4o")
    return conversation


def share(conversation, **fields):
    fields.setdefault("message_ids", conversation.path_ids())
    return Share.objects.create(conversation=conversation, **fields)
