"""The gateway key hidden wherever a gateway might echo it, however transformed.

A gateway that echoes the key in an error rarely echoes it byte for byte: it
may be upper-cased, wrapped onto a second line, JSON-escaped (`\\u002d` for
"-"), percent- or HTML-encoded, or cut short. `hide_key` finds the key on a
normalised reading of the text (case folded, whitespace and escaped whitespace
between any two of its characters ignored, each character also in its escaped
forms), and any key-shaped token that starts with the key's distinctive
prefix and is at least half its length, and replaces what it found.

`KeyFilter` does the same to every log line (settings.LOGGING), tracebacks
included, so neither a user nor the logs ever hold it.
"""

import functools
import logging
import re

from django.conf import settings

HIDDEN = "[the API key]"
# Between two characters of the key: whitespace, or whitespace written as an escape.
GAP = r"(?:\s|\\[nrt]|%0[aAdD9]|%20)*"
# A run of characters a key is made of, for the prefix rule.
TOKEN = r"[A-Za-z0-9_\-\.~+/=]"
PREFIX_CHARS = 8


def _forms(char):
    """A regex for one character of the key: itself (any case) or escaped."""
    code = ord(char)
    forms = [re.escape(char)]
    if char.lower() != char.upper():
        forms += [re.escape(char.lower()), re.escape(char.upper())]
    forms += [
        rf"\\u{code:04x}", rf"\\u{code:04X}", rf"\\x{code:02x}", rf"\\x{code:02X}",
        f"%{code:02x}", f"%{code:02X}", f"&#{code};", f"&#x{code:x};", f"&#x{code:X};",
    ]  # fmt: skip
    return "(?:" + "|".join(dict.fromkeys(forms)) + ")"


@functools.lru_cache(maxsize=4)
def _patterns(key):
    whole = re.compile(GAP.join(_forms(c) for c in key))
    prefix = key[: max(PREFIX_CHARS, len(key) // 3)]
    rest = max(0, len(key) // 2 - len(prefix))
    shaped = re.compile(GAP.join(_forms(c) for c in prefix) + TOKEN + f"{{{rest},}}")
    return whole, shaped


def hide_key(text, key=None):
    """`text` with every reading of the gateway key (settings.TOKENGATE_API_KEY)
    replaced by "[the API key]"."""
    key = settings.TOKENGATE_API_KEY if key is None else key
    if not key or not text:
        return text
    whole, shaped = _patterns(key)
    return shaped.sub(HIDDEN, whole.sub(HIDDEN, text))


class KeyFilter(logging.Filter):
    """Hides the key in a log record's message and traceback."""

    def filter(self, record):
        if settings.TOKENGATE_API_KEY:
            message = record.getMessage()
            hidden = hide_key(message)
            if hidden != message:
                record.msg, record.args = hidden, ()
            if record.exc_info and not record.exc_text:
                record.exc_text = logging.Formatter().formatException(record.exc_info)
            if record.exc_text:
                record.exc_text = hide_key(record.exc_text)
        return True
