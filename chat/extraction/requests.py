"""How a request asks for JSON that fits a schema: `response_format` for the
models that take it (settings.STRUCTURED_OUTPUT_MODELS), an instruction for
every model (the only way for the others)."""

import json

from django.conf import settings

from chat.extraction.schemas import is_strict

# OpenAI's rule for json_schema's name: ^[a-zA-Z0-9_-]{1,64}$.
SCHEMA_NAME = "extraction"


def takes_response_format(model):
    return model in settings.STRUCTURED_OUTPUT_MODELS


def response_format_for(model, schema):
    """The request's `response_format` for `model`, or None when it must be
    asked by instruction alone.

    >>> response_format_for("gpt-4o", {"type": "object"})["type"]
    'json_schema'
    """
    if not takes_response_format(model):
        return None
    return {
        "type": "json_schema",
        "json_schema": {"name": SCHEMA_NAME, "strict": is_strict(schema), "schema": schema},
    }


def instruction_for(schema):
    """A system message's text asking for JSON that fits `schema` (English, as
    the app's system prompt is: it is for the model, not the person)."""
    return (
        "Answer with one JSON object and nothing else: no prose, no code fence. "
        "It must fit this JSON Schema; use null for a field the images or text do "
        "not show, and never invent a value.\n" + json.dumps(schema, ensure_ascii=False)
    )
