"""An answer read as the JSON its schema asked for: parsed, validated with
jsonschema (Draft 2020-12, formats such as `date` checked), each failure
pinned to the field it concerns, and the result as a table's row."""

import json
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from referencing.exceptions import Unresolvable

from chat.extraction.schemas import depth, fields_of
from chat.tables import Table

# A model asked by instruction may still wrap its JSON in a code fence.
FENCE = re.compile(r"```(?:json)?\s*\n(.*?)\n?```", re.DOTALL | re.IGNORECASE)
WHOLE = ""  # the key of failures that concern the answer as a whole
MAX_DEPTH = 32  # an answer's nesting: as deep as a schema may be


@dataclass
class Extraction:
    """What an answer to an extraction holds: `data` (None when it is not JSON),
    `errors` {field name (or WHOLE): [sentences]}, and the answer as it came."""

    schema: dict
    raw: str
    data: object = None
    errors: dict = field(default_factory=dict)

    @property
    def valid(self):
        return not self.errors

    @property
    def fields(self):
        return fields_of(self.schema)

    def cells(self):
        """The row of the table: one cell per field, in the schema's order."""
        data = self.data if isinstance(self.data, dict) else {}
        return [cell(data.get(name)) for name in self.fields]

    def table(self):
        """A chat.tables.Table of one row, for the CSV, XLSX and JSON downloads."""
        return Table("extraction", self.fields, [self.cells()])


def cell(value):
    """A field's value as a spreadsheet cell: numbers and text as they are,
    yes/no for booleans, a list of plain values joined with "; ", anything
    nested as its JSON text, nothing for null."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return "; ".join(str(v) for v in value)
    return json.dumps(value, ensure_ascii=False)


def parse(text):
    """The JSON value in an answer: the whole text, a fenced block, or the
    outermost {...}; raises ValueError when there is none."""
    text = text.strip()
    candidates = [text]
    if fenced := FENCE.search(text):
        candidates.append(fenced.group(1))
    if "{" in text and "}" in text:
        candidates.append(text[text.index("{") : text.rindex("}") + 1])
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except (ValueError, RecursionError):  # thousands of nested brackets
            continue
    raise ValueError(text)


def validate(schema, text):
    """The Extraction of answer `text` against `schema` (checked beforehand by
    check_schema). Never raises for a bad answer: what is wrong is in `errors`.

    >>> validate({"type": "object", "properties": {"n": {"type": "number"}}}, '{"n": "x"}').errors
    {'n': ["'x' is not of type 'number'"]}
    """
    extraction = Extraction(schema=schema, raw=text)
    try:
        extraction.data = parse(text)
    except ValueError:
        extraction.errors[WHOLE] = [_("The answer is not JSON.")]
        return extraction
    if depth(extraction.data) > MAX_DEPTH:
        extraction.data = None  # its cells would be JSON text nested past any use
        extraction.errors[WHOLE] = [
            _("The answer nests deeper than %(depth)d levels.") % {"depth": MAX_DEPTH}
        ]
        return extraction
    validator = Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)
    try:
        failures = sorted(validator.iter_errors(extraction.data), key=lambda e: list(e.path))
        for failure in failures:
            for name in _fields_concerned(failure):
                extraction.errors.setdefault(name, []).append(failure.message)
    except Unresolvable as error:
        extraction.errors[WHOLE] = [str(error)]
    return extraction


def _fields_concerned(failure):
    """The top-level fields a failure is about: where it happened, or the
    missing and unexpected properties an object's check names."""
    if failure.absolute_path:
        return [str(failure.absolute_path[0])]
    instance = failure.instance if isinstance(failure.instance, dict) else {}
    if failure.validator == "required":
        missing = [name for name in failure.validator_value if name not in instance]
        return missing or [WHOLE]
    if failure.validator == "additionalProperties":
        allowed = failure.schema.get("properties", {})
        return [name for name in instance if name not in allowed] or [WHOLE]
    return [WHOLE]
