"""Users for the tests that run in-process (Django's test database)."""

from django.contrib.auth import get_user_model

PASSWORD = "correct horse battery staple"


def make_user(username, **kwargs):
    return get_user_model().objects.create_user(username=username, password=PASSWORD, **kwargs)
