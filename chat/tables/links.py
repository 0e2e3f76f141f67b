"""Where the page finds an answer's tables as files (views/tables.py serves them)."""

from django.urls import reverse

from chat.models import Message
from chat.tables.find import find_tables
from chat.tables.writers import FORMATS


def tables_payload(message):
    """[{"label", "csv", "xlsx", "json"}] for a finished answer's tables, in order."""
    if message.role != Message.Role.ASSISTANT or message.status != Message.Status.COMPLETE:
        return []
    return [
        {
            "label": table.label,
            **{
                format: reverse("chat-table", args=[message.pk, index, format])
                for format in FORMATS
            },
        }
        for index, table in enumerate(find_tables(message.text), start=1)
    ]
