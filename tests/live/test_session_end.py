"""A socket lives no longer than its login (issue 17, finding 4).

Each of these failed before chat/live/sessions.py: the login was checked only
when the socket connected, so after a logout, a password change or a
deactivation an open socket still started answers.
"""

import pytest
from asgiref.sync import sync_to_async
from django.contrib.sessions.models import Session
from django.test import Client

from chat.live import sessions
from chat.models import Conversation, Message
from tests.support.users import PASSWORD
from tests.support.websocket import open_socket

pytestmark = pytest.mark.django_db(transaction=True)

SEND = {"action": "send", "text": "still there?", "model": "gpt-4o"}


async def closed_with(communicator, timeout=5):
    return (await communicator.receive_output(timeout=timeout))["code"]


async def logged_in_client(user):
    client = Client()
    await sync_to_async(client.force_login)(user)
    return client


async def test_it_closes_the_socket_at_once_when_its_session_logs_out(alice, alice_client):
    """Failed before: the socket stayed open after POST /logout/."""
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, connected, _ = await open_socket(conversation, alice_client)
    assert connected

    await sync_to_async(alice_client.post)("/logout/")

    assert await closed_with(communicator) == 4401


async def test_it_keeps_the_sockets_of_the_persons_other_sessions_after_a_logout(alice):
    conversation = await Conversation.objects.acreate(owner=alice)
    laptop, phone = await logged_in_client(alice), await logged_in_client(alice)
    on_phone, connected, _ = await open_socket(conversation, phone)
    assert connected

    await sync_to_async(laptop.post)("/logout/")

    # Logging out on the laptop ends the laptop's login, not the phone's.
    assert await on_phone.receive_nothing(timeout=0.3)
    await on_phone.send_json_to({"action": "sync"})
    assert await on_phone.receive_nothing(timeout=0.3)
    await on_phone.disconnect()


async def test_it_closes_every_socket_of_a_person_whose_password_changed(alice):
    """Failed before: sockets of other browsers stayed open after a password change."""
    conversation = await Conversation.objects.acreate(owner=alice)
    laptop, phone = await logged_in_client(alice), await logged_in_client(alice)
    on_phone, connected, _ = await open_socket(conversation, phone)
    assert connected

    response = await sync_to_async(laptop.post)(
        "/account/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "a new and longer passphrase",
            "new_password2": "a new and longer passphrase",
        },
    )

    assert response.status_code == 302
    assert await closed_with(on_phone) == 4401


async def test_it_closes_the_sockets_of_a_deactivated_person(alice, alice_client):
    """Failed before: is_active=False left the socket open and answering."""
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, connected, _ = await open_socket(conversation, alice_client)
    assert connected

    alice.is_active = False
    await alice.asave()

    assert await closed_with(communicator) == 4401


async def test_it_leaves_sockets_open_when_other_fields_of_the_person_change(alice, alice_client):
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, connected, _ = await open_socket(conversation, alice_client)
    assert connected

    alice.first_name = "Alice"
    await alice.asave()

    assert await communicator.receive_nothing(timeout=0.3)
    await communicator.disconnect()


async def test_it_refuses_an_action_once_the_session_is_gone(alice, alice_client, monkeypatch):
    """Failed before: with the session deleted (expired, or cleared by an
    operator, which tells no socket), a "send" still stored a message and
    started an answer."""
    monkeypatch.setattr(sessions, "SESSION_CHECK_SECONDS", 0)
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, connected, _ = await open_socket(conversation, alice_client)
    assert connected

    await Session.objects.all().adelete()
    await communicator.send_json_to(SEND)

    assert await closed_with(communicator) == 4401
    assert await Message.objects.acount() == 0


async def test_it_checks_the_session_at_most_every_few_seconds(alice, alice_client, monkeypatch):
    # Within SESSION_CHECK_SECONDS an action costs no session query: the
    # check that a deleted session gets is the next one after that.
    monkeypatch.setattr(sessions, "SESSION_CHECK_SECONDS", 3600)
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, connected, _ = await open_socket(conversation, alice_client)
    assert connected
    checks = []
    real = sessions.session_is_current
    monkeypatch.setattr(
        sessions, "session_is_current", lambda *args: checks.append(args) or real(*args)
    )

    for _ in range(3):
        await communicator.send_json_to({"action": "sync"})
    assert await communicator.receive_nothing(timeout=0.3)

    assert checks == []
    await communicator.disconnect()


def test_a_session_of_another_user_is_not_current(alice, bob, alice_client):
    key = alice_client.session.session_key

    assert sessions.session_is_current(key, alice.pk)
    assert not sessions.session_is_current(key, bob.pk)
    assert not sessions.session_is_current("", alice.pk)
    assert not sessions.session_is_current("no-such-session", alice.pk)
