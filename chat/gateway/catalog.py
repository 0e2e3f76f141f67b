"""Which models the picker offers: the gateway's list, and the offline demo when
no API key is set (it is then the default)."""

from django.conf import settings

from chat.gateway import demo


def choices():
    """[(model id, label)], the default first."""
    gateway_models = [(model, model) for model in settings.TOKENGATE_MODELS]
    if settings.TOKENGATE_API_KEY:
        return gateway_models
    return [(demo.MODEL_ID, demo.LABEL), *gateway_models]


def ids():
    return [model for model, _ in choices()]


def default():
    return choices()[0][0]


def token_limit_field(model):
    """The request field for the longest answer: OpenAI's reasoning models
    (settings.TOKENGATE_COMPLETION_TOKENS_MODELS, by prefix) refuse max_tokens."""
    prefixes = tuple(settings.TOKENGATE_COMPLETION_TOKENS_MODELS)
    return "max_completion_tokens" if model.startswith(prefixes) else "max_tokens"
