"""What a cell is: a number when it reads as one (so a spreadsheet can add it
up), text otherwise; and text that a spreadsheet would run as a formula made
plain."""

import re

# 12, -3.5, +7, 1,234,567.89; not 007 (an id or a postcode keeps its zeros).
NUMBER = re.compile(r"[+-]?(0|[1-9]\d*|[1-9]\d{0,2}(,\d{3})+)(\.\d+)?")
# OWASP's list: a cell starting with one of these is a formula to Excel,
# LibreOffice or Google Sheets ("=HYPERLINK(...)", "@SUM(...)", "+cmd|...").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def typed(text):
    """12 for "12", 1234.5 for "1,234.50", the text itself otherwise.

    >>> typed("1,234.50"), typed("007"), typed("-3")
    (1234.5, '007', -3)
    """
    text = text.strip()
    if not NUMBER.fullmatch(text):
        return text
    plain = text.replace(",", "")
    return float(plain) if "." in plain else int(plain)


def defused(value):
    """A value for a CSV cell: text that would run as a formula gets a leading
    apostrophe (shown as text by every spreadsheet); numbers pass."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
