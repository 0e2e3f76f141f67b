"""Cost estimates from the operator's prices (settings.MODEL_PRICES: per model,
dollars per million tokens in and out; none by default, and then no estimate)."""

from django.conf import settings


def cost(model, prompt_tokens, completion_tokens):
    """Dollars for one answer, or None when its model has no price or the
    gateway reported no usage."""
    price = getattr(settings, "MODEL_PRICES", {}).get(model)
    if price is None or prompt_tokens is None or completion_tokens is None:
        return None
    per_input, per_output = price
    return round((prompt_tokens * per_input + completion_tokens * per_output) / 1_000_000, 6)
