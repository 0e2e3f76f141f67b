"""Provider state: what an answer's stream carried that the provider wants back
on later turns, kept with the answer and sent back as it came.

Gemini 3 models sign their reasoning ("thought signatures"); a later request
without the signatures loses the context of a multi-turn edit. Through
OpenAI-compatible gateways the state arrives on the deltas in one of these
places, and goes back on the same assistant message in the same place:

- OpenRouter: `reasoning_details`, a list (items appended across deltas);
- LiteLLM: `thinking_blocks`, a list, and `provider_specific_fields`, an object;
- Google's own OpenAI layer: `extra_content` ({"google": {"thought_signature"}}).

Values are kept as received (JSON in, the same JSON out). Nothing is added to
a message whose answer carried none: strict gateways refuse unknown keys. It
goes back only to the same model family (family()), since another provider
would refuse or misread it.
"""

from chat.gateway.events import PROVIDER_STATE_KEYS

LIST_KEYS = ("reasoning_details", "thinking_blocks")


def family(model):
    """The id's first two parts: gemini-3-pro-image-preview -> gemini-3, gpt-4o -> gpt-4o."""
    return "-".join(model.split("-")[:2])


def _merge(kept, new):
    """Objects merged key by key (lists appended, anything else replaced)."""
    merged = dict(kept)
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + value
        else:
            merged[key] = value
    return merged


class Collector:
    """The state of one answer's stream, gathered from its ProviderState events."""

    def __init__(self, model):
        self.model = model
        self.fields = {}

    def add(self, event):
        for key, value in event.fields.items():
            if key not in PROVIDER_STATE_KEYS:
                continue
            kept = self.fields.get(key)
            if key in LIST_KEYS and isinstance(value, list):
                self.fields[key] = (kept or []) + value
            elif isinstance(value, dict) and isinstance(kept, dict):
                self.fields[key] = _merge(kept, value)
            else:
                self.fields[key] = value

    def stored(self):
        """What Message.provider_state keeps: {} when the stream carried none."""
        if not self.fields:
            return {}
        return {"family": family(self.model), "fields": self.fields}


def restored(assistant_message, state, model):
    """`assistant_message` (the request's dict) with the stored `state` of its
    answer put back where it came, when the request is for the same family."""
    if not state or state.get("family") != family(model):
        return assistant_message
    return {**assistant_message, **state.get("fields", {})}
