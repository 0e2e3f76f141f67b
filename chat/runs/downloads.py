"""A run's table as a file: CSV and XLSX through chat/tables/ (so the same
promises hold: a BOM for Excel, numbers as numbers, never a formula), and
JSON Lines, one item per line. A run that extracts fields has a column per
field (validated against its schema, chat/extraction/) and whether they fit."""

import json

from chat import extraction
from chat.runs.payloads import extracted
from chat.tables import Table, write

HEADER = [
    "item", "page", "image", "status", "answer", "error",
    "prompt_tokens", "completion_tokens", "seconds", "attempts",
]  # fmt: skip
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jsonl": "application/jsonl; charset=utf-8",
}


def header(run):
    """HEADER; with a schema, its fields after the status, then whether they fit."""
    if not run.schema:
        return HEADER
    return [*HEADER[:4], *extraction.fields_of(run.schema), "valid", *HEADER[4:]]


def rows(run):
    for item in run.items.select_related("image", "run").order_by("position"):
        seconds = item.seconds
        row = [
            item.position,
            item.image.page,
            item.image.name,
            item.status,
            item.answer,
            item.error,
            item.prompt_tokens,
            item.completion_tokens,
            None if seconds is None else round(seconds, 3),
            item.attempts,
        ]
        if run.schema:
            result = extracted(item)
            fields = result.cells() if result else [None] * len(extraction.fields_of(run.schema))
            valid = None if result is None else ("yes" if result.valid else "no")
            row = [*row[:4], *fields, valid, *row[4:]]
        yield row


def to_jsonl(run):
    names = header(run)
    lines = (
        json.dumps(dict(zip(names, row, strict=True)), ensure_ascii=False) for row in rows(run)
    )
    return "".join(line + "\n" for line in lines).encode()


def content(run, format):
    if format == "jsonl":
        return to_jsonl(run)
    return write(Table(kind="table", header=header(run), rows=list(rows(run))), format)
