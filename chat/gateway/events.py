"""What `stream_chat` yields: text, generated images, and the end of the answer."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TextDelta:
    text: str


@dataclass(frozen=True, repr=False)
class ImageDelta:
    """An image the model generated, as a data URI (not yet decoded or checked)."""

    data_uri: str

    def __repr__(self):
        # Keep megabytes of base64 out of logs and tracebacks.
        return f"ImageDelta({self.data_uri[:30]}… {len(self.data_uri)} chars)"


@dataclass(frozen=True)
class Finished:
    reason: str | None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
