"""The key is found however a gateway echoes it (issue 17, finding 12). Before
chat/gateway/redaction.py only the exact string was replaced: each transformed
form below reached the user or the logs."""

import logging

import pytest

from chat.gateway.redaction import HIDDEN, KeyFilter, hide_key

KEY = "sk-tg-7QpZr2VxLm9KdW4sYb8N"


@pytest.mark.parametrize(
    "echo",
    [
        KEY,
        KEY.upper(),
        KEY.lower(),
        KEY[:10] + "\n" + KEY[10:],  # wrapped onto a second line
        KEY[:10] + "\\n" + KEY[10:],  # ... inside a JSON string
        " ".join(KEY),  # spaced out
        KEY.replace("-", "\\u002d"),  # JSON escapes
        KEY.replace("-", "\\u002D"),
        KEY.replace("-", "%2D"),  # percent-encoded
        KEY.replace("-", "&#45;"),  # an HTML entity
        "".join(f"\\u{ord(c):04x}" for c in KEY),  # every character escaped
        KEY[:-6],  # cut short
        KEY[:-3] + "XYZ",  # its tail changed
    ],
)
def test_it_hides_the_key_however_it_was_echoed(echo):
    text = f'{{"error": "invalid key {echo}; check it"}}'

    hidden = hide_key(text, KEY)

    assert hidden == f'{{"error": "invalid key {HIDDEN}; check it"}}'


@pytest.mark.parametrize(
    "text",
    [
        "sk-tg-another-persons-key is not ours",  # same vendor prefix, not this key's
        "the quota of your account is used up",
        "sk-tg-7",  # too short to be the key
    ],
)
def test_it_leaves_text_that_is_not_the_key(text):
    assert hide_key(text, KEY) == text


def test_it_hides_the_key_in_log_lines_and_tracebacks(settings, caplog):
    settings.TOKENGATE_API_KEY = KEY
    logger = logging.getLogger("chat.test_redaction")
    logger.addFilter(KeyFilter())
    try:
        try:
            raise ValueError(f"bad key {KEY.upper()}")
        except ValueError:
            logger.exception("gateway said %s", KEY[:12] + "\n" + KEY[12:])
    finally:
        logger.filters.clear()

    assert caplog.records
    text = caplog.records[0].getMessage() + caplog.records[0].exc_text
    assert KEY[6:].casefold() not in text.casefold().replace("\n", "")
    assert text.count(HIDDEN) == 2
