"""What `stream_chat` yields: text, generated images, and the end of the answer."""

from dataclasses import dataclass

# Where gateways put provider state on a delta: OpenRouter, LiteLLM (two), Google.
PROVIDER_STATE_KEYS = (
    "reasoning_details",
    "thinking_blocks",
    "provider_specific_fields",
    "extra_content",
)


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


@dataclass(frozen=True, repr=False)
class ProviderState:
    """What a delta carried besides text and images that the provider wants back
    on later turns (Gemini 3's thought signatures): `fields` maps the delta's key
    ("reasoning_details", "thinking_blocks", "provider_specific_fields",
    "extra_content") to its value, as received. Opaque and encrypted: never
    shown, never logged in full."""

    fields: dict

    def __repr__(self):
        return f"ProviderState({sorted(self.fields)})"
