"""The language a person reads the app in: the one they chose (on the login
page or in settings, kept with them), else their browser's Accept-Language
(Django's LocaleMiddleware), among English and Simplified Chinese. Model
output is never translated."""

import os

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils import translation

SESSION_KEY = "language"


def known(language):
    return language in dict(settings.LANGUAGES)


class PersonLanguageMiddleware:
    """After the login is known: a logged-in person's choice wins over the
    browser's (it is copied into their session when they log in)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = request.session.get(SESSION_KEY)
        if known(language):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


@receiver(user_logged_in)
def remember_on_login(sender, request, user, **kwargs):
    from chat.accounts.models import LanguagePreference

    chosen = LanguagePreference.objects.filter(user=user).values_list("language", flat=True)
    if chosen and known(chosen[0]):
        request.session[SESSION_KEY] = chosen[0]


def for_user(user_id):
    """The language a person chose (settings, the login page), for work done
    away from their requests (a run's items); else the default."""
    from chat.accounts.models import LanguagePreference

    chosen = LanguagePreference.objects.filter(user_id=user_id).values_list("language", flat=True)
    return chosen[0] if chosen and known(chosen[0]) else settings.LANGUAGE_CODE


def for_terminal(environ=None):
    """The language of a management command's output: the operator's locale as
    gettext reads it (LC_ALL, then LC_MESSAGES, then LANG: zh_CN.UTF-8 gives
    Simplified Chinese), else the default (English)."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            code = value.split(".")[0].split("@")[0].replace("_", "-").lower()
            try:
                return translation.get_supported_language_variant(code)
            except LookupError:
                return settings.LANGUAGE_CODE
    return settings.LANGUAGE_CODE


def for_scope(scope):
    """The language of a websocket: the person's choice in their session, else
    the browser's Accept-Language, else the default."""
    session = scope.get("session")
    chosen = session.get(SESSION_KEY) if session is not None else None
    if known(chosen):
        return chosen
    headers = dict(scope.get("headers") or [])
    accept = headers.get(b"accept-language", b"").decode("latin-1")
    cookie = headers.get(b"cookie", b"").decode("latin-1")
    for part in cookie.split(";"):
        name, _, value = part.strip().partition("=")
        if name == settings.LANGUAGE_COOKIE_NAME and known(value):
            return value
    return translation.get_supported_language_variant(_best(accept) or settings.LANGUAGE_CODE)


def _best(accept):
    from django.utils.translation.trans_real import parse_accept_lang_header

    for code, _quality in parse_accept_lang_header(accept):
        if code == "*":
            break
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            continue
    return None
