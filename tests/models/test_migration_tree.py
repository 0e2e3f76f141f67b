"""Migration 0004 on a database holding conversations made before messages
formed a tree: each becomes one path, nothing lost."""

from datetime import timedelta

import pytest
from django.utils.timezone import now

from tests.support.migrations import before, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("chat", "0003_conversation_deleted")]
AFTER = [("chat", "0004_message_tree")]
old_apps = before(BEFORE)


def test_it_turns_each_old_conversation_into_one_path(old_apps):
    User = old_apps.get_model("auth", "User")
    Conversation = old_apps.get_model("chat", "Conversation")
    Message = old_apps.get_model("chat", "Message")
    ImageAttachment = old_apps.get_model("chat", "ImageAttachment")
    alice = User.objects.create(username="alice")
    start = now() - timedelta(days=2)
    birds = Conversation.objects.create(owner=alice, title="Birds", model="gpt-4o")
    # As today's code stores them; two share a timestamp, so the id decides.
    rows = [
        ("user", "How many birds?", start),
        ("assistant", "Three.", start + timedelta(seconds=5)),
        ("user", "And now?", start + timedelta(minutes=1)),
        ("assistant", "Four, one flew in.", start + timedelta(minutes=1)),
    ]
    old = [
        Message.objects.create(conversation=birds, role=role, text=text, created=created)
        for role, text, created in rows
    ]
    ImageAttachment.objects.create(owner=alice, message=old[0], name="wire.jpg")
    empty = Conversation.objects.create(owner=alice, title="")

    new_apps = migrate(AFTER)

    Conversation = new_apps.get_model("chat", "Conversation")
    Message = new_apps.get_model("chat", "Message")
    birds = Conversation.objects.get(pk=birds.pk)
    path, message = [], Message.objects.get(pk=birds.current_id)
    while message is not None:
        path.append(message)
        message = Message.objects.filter(pk=message.parent_id).first()
    path.reverse()
    assert [(m.role, m.text) for m in path] == [(role, text) for role, text, _ in rows]
    assert [m.pk for m in path] == [m.pk for m in old]
    assert path[0].parent_id is None
    assert [a.name for a in path[0].images.all()] == ["wire.jpg"]
    assert Message.objects.count() == 4
    assert Conversation.objects.get(pk=empty.pk).current_id is None
