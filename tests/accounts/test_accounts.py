"""Accounts: change password, sign-up behind SELF_SIGNUP, password reset by email."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from tests.support.users import PASSWORD

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a much longer new passphrase"


def test_it_changes_the_password(alice, alice_client, client):
    response = alice_client.post(
        "/account/password/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert response.url == "/account/password/done/"
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_it_refuses_a_wrong_old_password(alice, alice_client):
    response = alice_client.post(
        "/account/password/",
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )

    assert "Your old password was entered incorrectly" in response.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(PASSWORD)


def test_it_has_sign_up_closed_by_default(client, db):
    login_page = client.get("/login/").content.decode()

    assert client.get("/account/signup/").status_code == 404
    assert "Create an account" not in login_page


def test_it_signs_up_when_the_operator_allows_it(client, db, settings):
    settings.SELF_SIGNUP = True

    login_page = client.get("/login/").content.decode()
    response = client.post(
        "/account/signup/",
        {"username": "carol", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert "Create an account" in login_page
    assert response.url == "/"
    assert get_user_model().objects.get(username="carol").check_password(NEW_PASSWORD)
    assert client.get("/", follow=True).status_code == 200  # logged in


def test_it_resets_a_forgotten_password_by_email(alice, client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    alice.email = "alice@example.com"
    alice.save()

    client.post("/account/reset/", {"email": "alice@example.com"})
    link = re.search(r"http://testserver(/account/reset/\S+/)", mail.outbox[0].body).group(1)
    form = client.get(link, follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD,
                                              "new_password2": NEW_PASSWORD})  # fmt: skip

    assert mail.outbox[0].to == ["alice@example.com"]
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)


def test_it_sends_reset_mail_to_the_console_by_default():
    from tokengate_site import settings as site_settings

    assert site_settings.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"
