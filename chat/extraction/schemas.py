"""What an extraction asks for: a JSON Schema, built from the fields a person
lists (name and type) or given whole, checked before anything is stored."""

import json

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

from chat.refusals import Refusal

MAX_FIELDS = 50
MAX_NAME_LENGTH = 64
MAX_SCHEMA_BYTES = 16 * 1024
MAX_DEPTH = 32

# Each field type as JSON Schema. Every field may be null: a model that cannot
# find a field says so rather than making one up.
FIELD_TYPES = {
    "text": {"type": ["string", "null"]},
    "number": {"type": ["number", "null"]},
    "date": {
        "type": ["string", "null"],
        "format": "date",
        "description": "a date as YYYY-MM-DD",
    },
    "money": {
        "type": ["number", "null"],
        "description": "an amount of money as a plain number, without currency sign",
    },
    "yesno": {"type": ["boolean", "null"]},
    "list": {"type": ["array", "null"], "items": {"type": "string"}},
}


class InvalidSchema(Refusal):
    """A schema or a list of fields that cannot be asked for, with the reason."""

    def __init__(self, message):
        super().__init__(message, code="invalid_schema")


def schema_from_fields(fields):
    """The JSON Schema of an object holding `fields`, [{"name", "type"}] in order;
    raises InvalidSchema naming the field at fault.

    >>> schema_from_fields([{"name": "Total", "type": "money"}])["required"]
    ['Total']
    """
    if not isinstance(fields, list) or not fields:
        raise InvalidSchema(_("List at least one field to extract."))
    if len(fields) > MAX_FIELDS:
        raise InvalidSchema(
            _("An extraction can ask for at most %(count)d fields.") % {"count": MAX_FIELDS}
        )
    properties = {}
    for position, field in enumerate(fields, start=1):
        name = field.get("name") if isinstance(field, dict) else None
        kind = field.get("type") if isinstance(field, dict) else None
        if not isinstance(name, str) or not name.strip():
            raise InvalidSchema(_("Field %(number)d has no name.") % {"number": position})
        name = name.strip()
        if len(name) > MAX_NAME_LENGTH or not name.isprintable():
            raise InvalidSchema(
                _("The field name “%(name)s” must be printable and at most %(length)d characters.")
                % {"name": name[:MAX_NAME_LENGTH], "length": MAX_NAME_LENGTH}
            )
        if name.casefold() in {n.casefold() for n in properties}:
            raise InvalidSchema(_("The field “%(name)s” is listed twice.") % {"name": name})
        if kind not in FIELD_TYPES:
            raise InvalidSchema(
                _("The field “%(name)s” has an unknown type; choose one of %(types)s.")
                % {"name": name, "types": ", ".join(FIELD_TYPES)}
            )
        properties[name] = dict(FIELD_TYPES[kind])
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def check_schema(schema):
    """Return `schema` if it is a JSON Schema an extraction can ask for: valid
    (Draft 2020-12), an object with properties at its top (a model's structured
    output must be one, and its fields become the table's columns), small, and
    with no reference outside itself. Raise InvalidSchema otherwise."""
    if not isinstance(schema, dict):
        raise InvalidSchema(_("The schema must be a JSON object."))
    if depth(schema) > MAX_DEPTH:
        raise InvalidSchema(
            _("The schema nests deeper than %(depth)d levels.") % {"depth": MAX_DEPTH}
        )
    if len(json.dumps(schema)) > MAX_SCHEMA_BYTES:
        raise InvalidSchema(
            _("The schema is larger than %(size)d KB.") % {"size": MAX_SCHEMA_BYTES // 1024}
        )
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as error:
        where = "/".join(str(p) for p in error.absolute_path) or _("its top")
        raise InvalidSchema(
            _("The schema is not valid JSON Schema at %(where)s: %(reason)s")
            % {"where": where, "reason": error.message}
        ) from None
    properties = schema.get("properties")
    if schema.get("type") != "object" or not isinstance(properties, dict) or not properties:
        raise InvalidSchema(_("The schema must describe an object with at least one property."))
    if len(properties) > MAX_FIELDS:
        raise InvalidSchema(
            _("An extraction can ask for at most %(count)d fields.") % {"count": MAX_FIELDS}
        )
    # Regular expressions run on every answer: "^(a+)+$" takes seconds on 27
    # characters (catastrophic backtracking), so none are taken.
    # (A property named "pattern" holds a subschema, not a string: it is allowed.)
    if any(isinstance(p, str) for p in _values_of(schema, "pattern")) or any(
        _values_of(schema, "patternProperties")
    ):
        raise InvalidSchema(
            _("The schema may not use patterns (pattern, patternProperties): checking one "
              "can take the server minutes.")
        )  # fmt: skip
    for ref in _values_of(schema, "$ref"):
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise InvalidSchema(_("The schema may only refer to its own definitions (“#/…”)."))
    return schema


def fields_of(schema):
    """The names of the schema's top-level properties: the table's columns."""
    return list(schema.get("properties", {}))


def is_strict(schema):
    """Whether `schema` meets OpenAI's strict structured outputs: every object
    closed (additionalProperties false) and requiring all its properties."""
    for node in _nodes(schema):
        if isinstance(node.get("properties"), dict):
            if node.get("additionalProperties") is not False:
                return False
            if set(node.get("required", [])) != set(node["properties"]):
                return False
    return True


def depth(value):
    """How deeply `value` nests, counted without recursion (a hostile schema
    may nest thousands of levels, past Python's recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        if level > MAX_DEPTH:
            break
        if isinstance(node, (dict, list)):
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, level + 1) for child in children)
    return deepest


def _nodes(value):
    if isinstance(value, dict):
        yield value
        for child in value.values():
            yield from _nodes(child)
    elif isinstance(value, list):
        for child in value:
            yield from _nodes(child)


def _values_of(schema, key):
    return [node[key] for node in _nodes(schema) if key in node]
