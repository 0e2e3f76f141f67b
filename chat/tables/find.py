"""The tables in an answer's Markdown: GFM tables, and fenced blocks marked
csv or json, in the order they appear (the page numbers them the same way)."""

import csv
import io
import json
from dataclasses import dataclass, field

from markdown_it import MarkdownIt

from chat.tables.cells import typed

# The same parser rules as chat/markdown.py: what the page draws as a table is one here.
_parser = MarkdownIt("commonmark", {"html": False}).enable(["table"])
MAX_CSV_BYTES = 5 * 1024 * 1024


@dataclass
class Table:
    kind: str  # "table", "csv" or "json"
    header: list
    rows: list = field(default_factory=list)

    @property
    def label(self):
        rows = len(self.rows)
        what = {"table": "Table", "csv": "CSV", "json": "JSON", "extraction": "Extraction"}[
            self.kind
        ]
        return f"{what} · {rows} row{'s' if rows != 1 else ''} × {len(self.header)} columns"


def find_tables(text):
    """Every table in `text`, as Tables with typed cells; blocks that do not parse are skipped."""
    if "|" not in text and "```" not in text and "~~~" not in text:
        return []
    tables = []
    tokens = _parser.parse(text)
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "table_open":
            table, i = _markdown_table(tokens, i)
            tables.append(table)
        elif token.type == "fence":
            language = (token.info or "").strip().split(" ")[0].lower()
            found = _csv(token.content) if language == "csv" else None
            if language == "json":
                found = _json(token.content)
            if found and found.header:
                tables.append(found)
        i += 1
    return tables


def _cell_text(inline):
    """A cell's text without its Markdown: **5** is 5, `x` is x."""
    children = inline.children or []
    return "".join(c.content for c in children if c.type in ("text", "code_inline")).strip()


def _markdown_table(tokens, i):
    rows, row, header = [], None, None
    while tokens[i].type != "table_close":
        token = tokens[i]
        if token.type == "tr_open":
            row = []
        elif token.type == "inline":
            row.append(_cell_text(token))
        elif token.type == "tr_close":
            if header is None:
                header = row
            else:
                rows.append([typed(cell) for cell in row])
        i += 1
    return Table("table", header or [], rows), i


def _csv(content):
    if len(content) > MAX_CSV_BYTES:
        return None
    try:
        lines = list(csv.reader(io.StringIO(content)))
    except csv.Error:
        return None
    lines = [line for line in lines if line]
    if not lines:
        return None
    return Table("csv", lines[0], [[typed(cell) for cell in line] for line in lines[1:]])


def _json(content):
    try:
        data = json.loads(content)
    except ValueError:
        return None
    if isinstance(data, dict):
        # {"items": [...]} is the list; any other object is one row.
        lists = [v for v in data.values() if isinstance(v, list) and v and isinstance(v[0], dict)]
        data = lists[0] if len(lists) == 1 else [data]
    if not isinstance(data, list) or not data:
        return None
    if all(isinstance(item, dict) for item in data):
        header = list(dict.fromkeys(key for item in data for key in item))
        return Table("json", header, [[_json_cell(item.get(k)) for k in header] for item in data])
    if all(isinstance(item, list) for item in data):
        return Table(
            "json", [str(h) for h in data[0]], [list(map(_json_cell, r)) for r in data[1:]]
        )
    return None


def _json_cell(value):
    """Numbers and text as they are; nested values as their JSON text."""
    if value is None or isinstance(value, (int, float, str)) and not isinstance(value, bool):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    return json.dumps(value, ensure_ascii=False)
