"""Making share links (the owner only), listing them in settings with how often
each was opened, and revoking them; review sees that a conversation is shared."""

import math

import pytest

from chat.sharing.models import Share
from tests.support.review import review_url
from tests.support.sharing import conversation_with_images, share


@pytest.fixture
def conversation(alice):
    return conversation_with_images(alice)


def create(client, conversation, **data):
    return client.post(f"/c/{conversation.code}/share/", data)


def test_it_makes_a_link_with_an_unguessable_token_on_request(alice_client, conversation):
    assert not Share.objects.exists()  # nothing until asked
    response = create(alice_client, conversation, expiry="never", shown_as="Alice")

    assert response.status_code == 201
    link = Share.objects.get()
    assert response.json()["url"] == f"http://testserver/s/{link.token}/"
    assert len(link.token) * 6 >= 128  # URL-safe base64: 6 bits a character
    assert str(conversation.code) not in link.token
    assert link.message_ids == conversation.path_ids() and not link.keep_updated
    assert link.expires is None and link.shown_as == "Alice"


@pytest.mark.parametrize("expiry, days", [("day", 1), ("week", 7), ("month", 30)])
def test_it_sets_the_chosen_expiry(alice_client, conversation, expiry, days):
    create(alice_client, conversation, expiry=expiry, keep_updated="on")
    link = Share.objects.get()
    assert math.isclose((link.expires - link.created).total_seconds(), days * 86400, abs_tol=5)
    assert link.keep_updated


def test_it_refuses_an_unknown_expiry_with_a_sentence(alice_client, conversation):
    response = create(alice_client, conversation, expiry="forever")
    assert response.status_code == 400
    assert "Link expires: Select a valid choice" in response.json()["error"]
    assert not Share.objects.exists()


def test_no_one_else_can_share_a_conversation(client, bob, conversation):
    client.force_login(bob)
    assert create(client, conversation, expiry="never").status_code == 404
    client.logout()
    assert create(client, conversation, expiry="never").status_code == 302  # to the login
    assert not Share.objects.exists()


def test_settings_list_each_link_with_its_openings_and_a_revoke_button(alice_client, conversation):
    link = share(conversation)
    for _ in range(2):
        alice_client.get(f"/s/{link.token}/")

    html = alice_client.get("/settings/shares/").content.decode()
    assert f"/s/{link.token}/" in html
    assert "opened 2 times" in html and "never expires" in html
    assert f'action="/settings/shares/{link.pk}/revoke/"' in html


def test_revoking_closes_the_link_at_once(alice_client, conversation):
    link = share(conversation)
    response = alice_client.post(f"/settings/shares/{link.pk}/revoke/")

    assert response.status_code == 302
    assert alice_client.get(f"/s/{link.token}/").status_code == 404
    assert "revoked" in alice_client.get("/settings/shares/").content.decode()


def test_no_one_else_sees_or_revokes_a_link(client, bob, conversation):
    link = share(conversation)
    client.force_login(bob)

    assert link.token not in client.get("/settings/shares/").content.decode()
    assert client.post(f"/settings/shares/{link.pk}/revoke/").status_code == 404
    link.refresh_from_db()
    assert link.revoked is None


def test_review_shows_that_a_conversation_is_shared_and_how_often_opened(
    rita_client, client, conversation
):
    link = share(conversation)
    client.get(f"/s/{link.token}/")
    html = rita_client.get(review_url(conversation)).content.decode()
    assert "opened 1 time" in html and "open link of" in html
