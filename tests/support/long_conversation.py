"""A long conversation made directly in the database: `count` messages on one
path, alternating question and answer, and `images` images spread over the
questions, all sharing one stored file (storage is content-addressed).

Used by the query-count tests and, through `manage.py shell` in the live
site, by the browser tests."""

from datetime import timedelta

from django.utils.timezone import now

from chat import images as intake
from chat import markdown
from chat.models import Conversation, ImageAttachment, Message
from tests.support.images import image_bytes

ANSWER = "Answer {n}: the picture shows **{n} birds** on a `wire`.\n\n- one list item\n- another"


def build(owner, *, count=1000, images=100, title="A long talk", model=""):
    """The conversation; its path is its messages in id order."""
    conversation = Conversation.objects.create(owner=owner, title=title, model=model)
    start = now() - timedelta(days=1)
    messages = []
    for n in range(count):
        if n % 2:
            text = ANSWER.format(n=n)
            fields = {"role": Message.Role.ASSISTANT, "model": "gpt-4o"}
            fields["html"] = markdown.render(text)  # as Message.save stores it
        else:
            text = f"Question {n}: how many birds are in this picture?"
            fields = {"role": Message.Role.USER}
        messages.append(
            Message(
                conversation=conversation, text=text, created=start + timedelta(seconds=n),
                **fields,
            )
        )  # fmt: skip
    Message.objects.bulk_create(messages)
    for parent, message in zip(messages, messages[1:], strict=False):
        message.parent_id = parent.pk
    Message.objects.bulk_update(messages[1:], ["parent"], batch_size=500)
    conversation.current = messages[-1]
    conversation.save(update_fields=["current"])

    questions = messages[::2]
    if images:
        stored = intake.store_image(
            owner=owner, checked=intake.check_image(image_bytes("PNG"), name="birds.png")
        )
        step = max(1, len(questions) // images)
        attachments = []
        for message in questions[::step][:images]:
            attachment = stored.copy()
            attachment.message = message
            attachment.name = f"birds-{message.pk}.png"
            attachments.append(attachment)
        ImageAttachment.objects.bulk_create(attachments)
    return conversation
