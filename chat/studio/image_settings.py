"""An image model's settings: which models make images, the aspect ratios and
sizes each offers, and the request fields that carry the chosen ones.

The shape is OpenRouter's, which LiteLLM and other OpenAI-compatible gateways
take for these models:

    "modalities": ["image", "text"],
    "image_config": {"aspect_ratio": "16:9", "image_size": "2K"}
"""

from django.conf import settings

RATIOS = ("1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9")
SIZES = ("1K", "2K", "4K")
# Sizes by model id prefix where the model's maker documents others: 2.5 Flash
# Image draws at about one megapixel only; 3.1 Flash also offers 512.
SIZES_BY_PREFIX = {
    "gemini-2.5-flash-image": ("1K",),
    "gemini-3.1-flash-image": ("512", "1K", "2K", "4K"),
}


def is_image_model(model):
    return model in settings.TOKENGATE_IMAGE_MODELS


def sizes_for(model):
    for prefix, sizes in SIZES_BY_PREFIX.items():
        if model.startswith(prefix):
            return sizes
    return SIZES


def page_config(conversation):
    """What the composer needs to show the settings: the image models with their
    sizes, the ratios, and the conversation's choices."""
    return {
        "models": {model: list(sizes_for(model)) for model in settings.TOKENGATE_IMAGE_MODELS},
        "ratios": list(RATIOS),
        "aspect_ratio": conversation.aspect_ratio,
        "image_size": conversation.image_size,
    }


def request_fields(model, image_config):
    """The fields to add to a request for `model` with an answer's stored
    `image_config`: none for other models, none when the operator turned them
    off, only "modalities" when nothing was chosen."""
    if not is_image_model(model) or not settings.TOKENGATE_IMAGE_CONFIG:
        return {}
    fields = {"modalities": ["image", "text"]}
    image_config = image_config or {}
    chosen = {name: image_config[name] for name in ("aspect_ratio",) if image_config.get(name)}
    # A size the model does not offer (chosen for another model) is left out.
    if image_config.get("image_size") in sizes_for(model):
        chosen["image_size"] = image_config["image_size"]
    if chosen:
        fields["image_config"] = chosen
    return fields
