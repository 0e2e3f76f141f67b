"""What a locked-out login sees (django-axes calls this): the login page again,
with a sentence saying when logging in works again."""

import math

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render


def _minutes():
    return math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def login_context():
    """For the login page's sentence on the limit."""
    return {"login_failure_limit": settings.AXES_FAILURE_LIMIT, "login_lockout_minutes": _minutes()}


def lockout_response(request, original_response=None, credentials=None):
    sentence = (
        "Too many failed logins for this account or from this address: "
        f"try again in {_minutes()} minutes."
    )
    context = {"form": AuthenticationForm(request), "lockout": sentence, **login_context()}
    return render(request, "registration/login.html", context, status=429)
