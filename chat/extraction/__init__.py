"""Structured extraction: fields (or a JSON Schema) asked of a model, and its
answer validated against them. Used by the conversation (chat/live/) and by
runs over many pages; see README.md.

    schema = schema_from_fields([{"name": "Total", "type": "money"}])  # or check_schema(s)
    body["response_format"] = response_format_for(model, schema)      # None: instruction only
    extraction = validate(schema, answer_text)                          # .valid, .errors, .table()
"""

from chat.extraction.requests import instruction_for, response_format_for, takes_response_format
from chat.extraction.schemas import (
    FIELD_TYPES,
    InvalidSchema,
    check_schema,
    fields_of,
    schema_from_fields,
)
from chat.extraction.validation import WHOLE, Extraction, cell, validate

__all__ = [
    "FIELD_TYPES",
    "WHOLE",
    "Extraction",
    "InvalidSchema",
    "cell",
    "check_schema",
    "fields_of",
    "instruction_for",
    "response_format_for",
    "schema_from_fields",
    "takes_response_format",
    "validate",
]
