"""Failed logins (django-axes): what counts, and what a locked-out login sees.

Failures count per account *from one address* (LOGIN_FAILURE_LIMIT, default
5) and per address across accounts (LOGIN_ADDRESS_FAILURE_LIMIT, default 20):
guessing from one address stays limited, and no one can lock an account's
owner out from the owner's own address by failing to log in as them elsewhere.
A locked-out login gets the login page again, with a sentence saying when
logging in works again.
"""

import math

from axes.handlers.database import AxesDatabaseHandler
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.shortcuts import render
from django.utils.translation import gettext


def _minutes():
    return math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def login_context():
    """For the login page's sentence on the limit."""
    return {
        "login_failure_limit": settings.AXES_FAILURE_LIMIT,
        "login_address_failure_limit": settings.LOGIN_ADDRESS_FAILURE_LIMIT,
        "login_lockout_minutes": _minutes(),
    }


class LoginLimits(AxesDatabaseHandler):
    """AXES_HANDLER. Axes compares one number with AXES_FAILURE_LIMIT; with
    AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"] its
    attempts come as two querysets: this account from this address, and this
    address for any account, each with its own limit."""

    def get_failures(self, request, credentials=None):
        account, address = (
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if address >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
            return max(account, settings.AXES_FAILURE_LIMIT)  # the address is locked
        return account


def lockout_response(request, original_response=None, credentials=None):
    sentence = gettext(
        "Too many failed logins from this address: try again in %(minutes)s minutes."
    ) % {"minutes": _minutes()}
    context = {"form": AuthenticationForm(request), "lockout": sentence, **login_context()}
    return render(request, "registration/login.html", context, status=429)
