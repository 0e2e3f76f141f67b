"""What an image costs: the size each detail level gives it and the input
tokens providers bill for that. Changes with the providers' pricing rules, and
with nothing else. Imports no models, so that chat.models can use it without a
cycle (chat/models/conversations.py prices each attached image)."""

# The detail levels a person picks (ImageAttachment.Detail) and the two sizes
# sent (Derivative.Kind), as the strings those choices store.
LOW, HIGH, AUTO = "low", "high", "auto"
DETAILS = (LOW, HIGH, AUTO)
# Not sent to a model: the viewer's display copy (chat/studio/), at most
# 2048 px on its long side, so opening a 20 MB photo costs a few hundred KB.
VIEW = "view"


def derivative_size(width, height, kind):
    """The size the model sees at `kind` ("low" or "high"); never larger than the image.

    low fits inside 512×512. high fits inside 2048×2048, then the shorter side
    is cut to 768 px: OpenAI's published preprocessing for detail "high", so
    what we send is what the model would have looked at anyway.

    >>> derivative_size(6000, 4000, "high")
    (1152, 768)
    """
    if kind == LOW:
        scale = min(1, 512 / max(width, height))
    elif kind == VIEW:
        scale = min(1, 2048 / max(width, height))
    else:
        scale = min(1, 2048 / max(width, height))
        scale *= min(1, 768 / (min(width, height) * scale))
    return max(1, round(width * scale)), max(1, round(height * scale))


def resolve_detail(width, height, detail):
    """The derivative kind for a detail level.

    "auto" is decided here, by size, so the estimate shown is the one billed:
    an image that fits in 512×512 loses nothing at "low" (its pixels are sent
    whole either way), so it goes low for 85 tokens instead of 255; anything
    larger goes "high", since a user who attached a detailed photo usually
    asks about its details. The gateway is told the resolved level.
    """
    if detail in (LOW, HIGH):
        return detail
    return LOW if max(width, height) <= 512 else HIGH


def _ceil_div(a, b):
    return -(-a // b)


def estimate_tokens(model, width, height, detail):
    """Estimated input tokens for one image of this size sent at `detail`.

    gpt-4o (and any model we know no rule for): OpenAI's published formula,
    85 tokens at low; at high 85 + 170 per 512-px tile of the high-detail size.
    Gemini: Google's published rule for Gemini 2.x ("Understand and count
    tokens", ai.google.dev/gemini-api/docs/tokens): an image with both sides at
    most 384 px counts 258 tokens; a larger one is cropped and scaled into
    768×768 tiles of 258 tokens each. Applied to the derivative we send.
    The length of the base64 text never counts.
    """
    kind = resolve_detail(width, height, detail)
    w, h = derivative_size(width, height, kind)
    if model.startswith("gemini"):
        if w <= 384 and h <= 384:
            return 258
        return 258 * _ceil_div(w, 768) * _ceil_div(h, 768)
    if kind == LOW:
        return 85
    return 85 + 170 * _ceil_div(w, 512) * _ceil_div(h, 512)


def estimates(width, height, models):
    """{model: {detail: tokens}} for the browser, which shows the one selected."""
    return {m: {d: estimate_tokens(m, width, height, d) for d in DETAILS} for m in models}
