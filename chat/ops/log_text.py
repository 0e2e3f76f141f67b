"""Log lines a client cannot forge.

In the text format a log line ends at a newline, so a newline (or a carriage
return, or any other control character) inside a field a client wrote (a CSP
report's directive, a path, a user agent) could start a line that looks like
the server's own. `TextFormatter` escapes every control character of a
record's message, whatever its arguments came from, and the access log
escapes its fields with `escape`. JSON lines need nothing: JSON escapes them.
"""

import logging
import re

# C0 and C1 controls and DEL; the Unicode line and paragraph separators, which
# some log viewers break lines on.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def escape(text):
    r"""The text with each control character written as an escape: "a\nb" -> "a\\x0ab"."""
    text = str(text)
    if not CONTROL.search(text):
        return text
    return CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 256
                       else f"\\u{ord(m.group()):04x}", text)  # fmt: skip


class TextFormatter(logging.Formatter):
    """logging.Formatter with the message's control characters escaped; a
    traceback, which the server writes, keeps its lines."""

    def formatMessage(self, record):
        saved = record.message
        record.message = escape(saved)
        try:
            return super().formatMessage(record)
        finally:
            record.message = saved
