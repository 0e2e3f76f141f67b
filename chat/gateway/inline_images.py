"""Generated images that arrive inside the text: some gateways put the data URI
(bare, or as markdown `![](data:...)`) into the content instead of `delta.images`."""

import re

from chat.gateway.events import ImageDelta, TextDelta

# Some gateways put generated images into the content as a data URI, bare or as
# markdown. The 64-character minimum keeps short examples in prose as text.
_DATA_URI = r"data:image/[\w.+-]+;base64,[A-Za-z0-9+/=]{64,}"
_INLINE_IMAGE = re.compile(rf"!\[[^\]\n]*\]\(({_DATA_URI})\)|({_DATA_URI})")
# Text at the end of what arrived that may still grow into an inline image.
_OPEN_MARKDOWN_IMAGE = re.compile(r"!\[[^\]\n]{0,200}(?:\]\(?[\w:;,+/=.-]*)?$")
_OPEN_DATA_URI = re.compile(r"data:image/[\w.+/=;,-]*$")
_DATA_URI_PREFIX = "data:image/"
_PREFIX_STARTS = tuple(_DATA_URI_PREFIX[:length] for length in range(1, len(_DATA_URI_PREFIX)))


def _may_hold_an_image(text):
    """False when `text` has no image and cannot begin one: no "!" (markdown),
    no "data:", and it does not end with the start of "data:image/"."""
    return "!" in text or "data:" in text or text.endswith(_PREFIX_STARTS)


class InlineImages:
    """Splits streamed content into text and data-URI images, even when a URI spans chunks.

    Text that might be the start of an image is held back until the next chunk
    shows what it is, so a user never sees half a data URI.
    """

    def __init__(self):
        self.pending = ""

    def feed(self, text, *, final=False):
        if not self.pending and not _may_hold_an_image(text):
            return [TextDelta(text)] if text else []  # nearly every chunk: no regex
        self.pending += text
        events = []
        while match := _INLINE_IMAGE.search(self.pending):
            # A bare URI that reaches the end of what arrived may still be growing.
            if not (final or match.group(1) or match.end() < len(self.pending)):
                break
            if match.start():
                events.append(TextDelta(self.pending[: match.start()]))
            events.append(ImageDelta(match.group(1) or match.group(2)))
            self.pending = self.pending[match.end() :]
        cut = len(self.pending) if final else self._undecided_from()
        if cut:
            events.append(TextDelta(self.pending[:cut]))
            self.pending = self.pending[cut:]
        return events

    def _undecided_from(self):
        starts = [len(self.pending)]
        for pattern in (_OPEN_MARKDOWN_IMAGE, _OPEN_DATA_URI):
            if match := pattern.search(self.pending):
                starts.append(match.start())
        for length in range(1, len(_DATA_URI_PREFIX)):
            if self.pending.endswith(_DATA_URI_PREFIX[:length]):
                starts.append(len(self.pending) - length)
        return min(starts)
