"""Where the page finds an answer's tables as files (views/tables.py serves them)."""

from django.urls import reverse

from chat import extraction
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


def extraction_payload(message):
    """A finished extraction's answer as the page draws it, or None: each field
    with its value and what failed on it, failures of the whole answer, the raw
    text, and the downloads (only when every field fits the schema)."""
    if (
        not message.schema
        or message.role != Message.Role.ASSISTANT
        or message.status != Message.Status.COMPLETE
    ):
        return None
    extracted = extraction.validate(message.schema, message.text)
    return {
        "valid": extracted.valid,
        "fields": [
            {"name": name, "value": value, "errors": extracted.errors.get(name, [])}
            for name, value in zip(extracted.fields, extracted.cells(), strict=True)
        ],
        "errors": extracted.errors.get(extraction.WHOLE, []),
        "raw": message.text,
        "downloads": {
            format: reverse("chat-extraction", args=[message.pk, format]) for format in FORMATS
        }
        if extracted.valid
        else {},
    }
