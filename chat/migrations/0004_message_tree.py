"""Messages form a tree: each has a parent, and the conversation a current leaf.

Every existing conversation becomes a single path, its messages in the order
they were shown (created, id), the last one current. Nothing is deleted.
"""

import django.db.models.deletion
from django.db import migrations, models


def chain_messages(apps, schema_editor):
    Conversation = apps.get_model("chat", "Conversation")
    Message = apps.get_model("chat", "Message")
    for conversation in Conversation.objects.iterator():
        previous = None
        for message in Message.objects.filter(conversation=conversation).order_by("created", "id"):
            if previous is not None:
                message.parent_id = previous
                message.save(update_fields=["parent"])
            previous = message.pk
        if previous is not None:
            conversation.current_id = previous
            conversation.save(update_fields=["current"])


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0003_conversation_deleted"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="children",
                to="chat.message",
            ),
        ),
        migrations.AddField(
            model_name="conversation",
            name="current",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="chat.message",
            ),
        ),
        migrations.RunPython(chain_messages, migrations.RunPython.noop),
    ]
