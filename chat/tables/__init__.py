"""Data out of answers: the tables an answer holds (Markdown tables, fenced
CSV and JSON blocks) found in its text, and written as CSV, XLSX and JSON.

- `find`: the tables in an answer's Markdown, cells typed;
- `cells`: numbers that stay numbers, text a spreadsheet would run as a formula;
- `writers`: CSV (UTF-8 with BOM), XLSX (openpyxl), JSON.
"""

from chat.tables.find import Table, find_tables
from chat.tables.writers import FORMATS, write

__all__ = ["FORMATS", "Table", "find_tables", "write"]
