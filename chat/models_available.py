"""Which models the picker offers: the gateway's list, and the offline demo when
no API key is set (it is then the default)."""

from django.conf import settings

from chat import demo


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
