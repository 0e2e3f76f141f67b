"""Each finished answer keeps its rendered HTML (Message.html), so a page no
longer renders every answer's Markdown again when it opens.

The answers stored before are rendered here, with the same renderer
(chat/markdown.py), in batches; user messages and streaming answers keep none.
"""

from django.db import migrations, models

from chat import markdown

BATCH = 500


def render_finished_answers(apps, schema_editor):
    Message = apps.get_model("chat", "Message")
    answers = Message.objects.filter(role="assistant").exclude(status="streaming")
    batch = []
    for message in answers.only("pk", "text").iterator(chunk_size=BATCH):
        message.html = markdown.render(message.text)
        batch.append(message)
        if len(batch) == BATCH:
            Message.objects.bulk_update(batch, ["html"])
            batch = []
    Message.objects.bulk_update(batch, ["html"])


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0010_message_heartbeat_request_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="html",
            field=models.TextField(blank=True),
        ),
        migrations.RunPython(render_finished_answers, migrations.RunPython.noop),
    ]
