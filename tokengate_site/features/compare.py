"""Comparing models (chat/compare/): the prices of the cost estimate, who sees
the leaderboard."""

import os

from django.core.exceptions import ImproperlyConfigured

from tokengate_site.env import envbool


def parse_model_prices(value):
    """{model: (dollars per million tokens in, out)} from "model=in/out,..."."""
    prices = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        try:
            model, rates = item.split("=")
            per_input, per_output = (float(rate) for rate in rates.split("/"))
        except ValueError:
            raise ImproperlyConfigured(
                f"MODEL_PRICES items are model=input/output per million tokens, not {item!r}"
            ) from None
        prices[model.strip()] = (per_input, per_output)
    return prices


# Prices for the comparison's cost estimate (chat/compare/prices.py), dollars per
# million tokens in and out: "gpt-4o=2.5/10,gemini-2.5-pro=1.25/10". None by default.
MODEL_PRICES = parse_model_prices(os.getenv("MODEL_PRICES", ""))
# The leaderboard of blind picks (/leaderboard/): for everyone, or staff only.
LEADERBOARD_STAFF_ONLY = envbool("LEADERBOARD_STAFF_ONLY", "False")
