"""Reading the environment: tiny helpers that turn a variable into a setting,
failing loudly (ImproperlyConfigured) on a value they cannot read."""

import ipaddress
import os

from django.core.exceptions import ImproperlyConfigured


def envbool(name, default):
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name, default):
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envfloat(name, default):
    value = os.getenv(name, default)
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def envlist(name, default):
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def envturns(name, default):
    """ "all" (None) or a number of turns, at least 1."""
    value = os.getenv(name, default).strip().lower()
    if value == "all":
        return None
    turns = envint(name, default)
    if turns < 1:
        raise ImproperlyConfigured(f'{name} must be "all" or at least 1, not {value!r}')
    return turns


def envnetworks(name, default):
    try:
        return [ipaddress.ip_network(item, strict=False) for item in envlist(name, default)]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None
