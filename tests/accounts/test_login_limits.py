"""Failed logins (django-axes): limited per account from one address and per
address across accounts, with a lockout that ends by itself and a sentence on
the login page (issue 17, finding 5: no one can lock another person out)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils.timezone import now

from tests.support.users import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOCKED = "Too many failed logins from this address: try again in 15 minutes."


def log_in(username, password, address="192.0.2.1"):
    return Client(REMOTE_ADDR=address).post("/login/", {"username": username, "password": password})


def test_it_says_what_the_limit_is_on_the_login_page():
    page = Client().get("/login/").content.decode()

    assert (
        "After 5 failed attempts at an account, or 20 at any accounts, logging in "
        "from that address pauses for 15 minutes."
    ) in page


def test_it_locks_an_account_after_five_failures_from_one_address(alice):
    for _ in range(4):
        assert log_in("alice", "wrong").status_code == 200
    # The fifth failure is answered with the lockout already.
    assert log_in("alice", "wrong").status_code == 429

    locked = log_in("alice", PASSWORD)

    assert locked.status_code == 429
    assert LOCKED in locked.content.decode()
    assert "_auth_user_id" not in locked.client.session


def test_it_lets_the_owner_in_from_their_own_address_whatever_others_tried(alice):
    """Failed before: five wrong passwords from one address locked alice out
    everywhere for 15 minutes, and anyone could repeat it forever."""
    for n in range(10):
        log_in("alice", "wrong", address=f"198.51.100.{n % 2}")

    assert log_in("alice", PASSWORD, address="203.0.113.9").status_code == 302


def test_it_locks_an_address_guessing_many_accounts(alice, bob, settings):
    for n in range(20):
        # At most four tries an account, under the account's own limit.
        log_in(f"user{n // 4}", "guess")

    assert log_in("alice", PASSWORD).status_code == 429
    # From another address, alice logs in as usual.
    assert log_in("alice", PASSWORD, address="203.0.113.9").status_code == 302


def test_it_counts_the_address_limit_across_accounts_only_from_that_address(alice):
    for n in range(19):
        log_in(f"user{n // 4}", "guess")

    # One short of the address's limit: the address may still log in.
    assert log_in("alice", PASSWORD).status_code == 302


def test_it_ends_the_lockout_by_itself(alice):
    for _ in range(5):
        log_in("alice", "wrong")
    assert log_in("alice", PASSWORD).status_code == 429

    AccessAttempt.objects.update(attempt_time=now() - timedelta(minutes=16))

    assert log_in("alice", PASSWORD).status_code == 302


def test_it_forgets_failures_after_a_successful_login(alice):
    for _ in range(4):
        log_in("alice", "wrong")
    assert log_in("alice", PASSWORD).status_code == 302

    for _ in range(4):
        log_in("alice", "wrong")

    assert log_in("alice", PASSWORD).status_code == 302


def test_it_limits_the_admin_login_too(alice):
    make_user("root", is_staff=True, is_superuser=True)
    for _ in range(5):
        Client().post("/admin/login/", {"username": "root", "password": "wrong"})

    response = Client().post("/admin/login/", {"username": "root", "password": PASSWORD})

    assert response.status_code == 429 and LOCKED in response.content.decode()
