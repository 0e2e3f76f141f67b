"""A Table as a file: CSV in UTF-8 with a BOM (so Excel reads accented and
Chinese text right), XLSX through openpyxl (numbers as numbers, text as text,
never a formula), and JSON (a list of objects keyed by the header)."""

import csv
import io
import json

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from chat.tables.cells import defused

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def write(table, format):
    return {"csv": to_csv, "xlsx": to_xlsx, "json": to_json}[format](table)


def to_csv(table):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([defused(cell) for cell in table.header])
    for row in table.rows:
        writer.writerow(["" if cell is None else defused(cell) for cell in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(table):
    workbook = Workbook(write_only=False)
    sheet = workbook.active
    sheet.title = "Table"
    for r, row in enumerate([table.header, *table.rows], start=1):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, str):
                value = ILLEGAL_CHARACTERS_RE.sub("", value)  # control characters XLSX cannot hold
            cell.value = value
            if isinstance(value, str):
                # openpyxl stores "=..." as a formula; typed as a string it never runs.
                cell.data_type = "s"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def to_json(table):
    rows = [dict(zip(table.header, row, strict=False)) for row in table.rows]
    return json.dumps(rows, ensure_ascii=False, indent=2).encode()
