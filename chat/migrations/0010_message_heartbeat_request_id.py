import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("chat", "0009_message_upstream_error"),
    ]

    operations = [
        migrations.AddField(
            model_name="message",
            name="heartbeat",
            field=models.DateTimeField(default=django.utils.timezone.now),
        ),
        migrations.AddField(
            model_name="message",
            name="request_id",
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                condition=models.Q(("status", "streaming")),
                fields=["heartbeat"],
                name="chat_message_streaming",
            ),
        ),
    ]
