"""The one exception for a request refused with a sentence for the user.

It sits at chat/'s top, below the models, so that the models (TurnRefused) and
the limits (LimitReached) subclass it without importing the websocket runtime,
which catches it (chat/live/protocol.py re-exports it).
"""

from django.utils.formats import number_format


class Refusal(Exception):
    """A request refused, nothing stored: `message` is a sentence for the user,
    `code` a word for the page ("bad_request", "unknown_model", ...)."""

    # More fields for the "error" event the page is sent (LimitReached: retry_after).
    details = {}

    def __init__(self, message, *, code):
        super().__init__(message)
        self.message = message
        self.code = code


def grouped(number):
    """A count as the reader's language writes it in a sentence: 20,000."""
    return number_format(number, force_grouping=True)
