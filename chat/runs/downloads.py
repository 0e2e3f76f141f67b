"""A run's table as a file: CSV and XLSX through chat/tables/ (so the same
promises hold: a BOM for Excel, numbers as numbers, never a formula), and
JSON Lines, one item per line."""

import json

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


def rows(run):
    for item in run.items.select_related("image").order_by("position"):
        seconds = item.seconds
        yield [
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


def to_jsonl(run):
    lines = (
        json.dumps(dict(zip(HEADER, row, strict=True)), ensure_ascii=False) for row in rows(run)
    )
    return "".join(line + "\n" for line in lines).encode()


def content(run, format):
    if format == "jsonl":
        return to_jsonl(run)
    return write(Table(kind="table", header=HEADER, rows=list(rows(run))), format)
