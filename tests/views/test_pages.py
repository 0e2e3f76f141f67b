import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from chat.models import Conversation
from tests.support.uploads import upload

pytestmark = pytest.mark.django_db


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get("/")

    assert response.status_code == 302 and response["Location"].startswith("/login/")


def test_it_opens_the_last_conversation_again(alice, alice_client):
    older = Conversation.objects.create(owner=alice, title="older")
    Conversation.objects.create(owner=alice, title="newer")

    alice_client.get(f"/c/{older.code}/")
    response = alice_client.get("/")

    assert response["Location"] == f"/c/{older.code}/"


def test_it_starts_a_conversation_for_a_new_user(alice, alice_client):
    response = alice_client.get("/")

    conversation = Conversation.objects.get(owner=alice)
    assert response["Location"] == f"/c/{conversation.code}/"


def test_it_reuses_an_empty_conversation_for_new(alice, alice_client):
    first = alice_client.post("/c/new/")
    second = alice_client.post("/c/new/")

    assert first["Location"] == second["Location"]
    assert Conversation.objects.filter(owner=alice).count() == 1


def test_it_hides_other_users_conversations(alice, bob):
    bobs = Conversation.objects.create(owner=bob, title="bob's secret")
    client = Client()
    client.force_login(alice)

    assert client.get(f"/c/{bobs.code}/").status_code == 404
    assert "bob's secret" not in client.get("/", follow=True).content.decode()


def test_it_never_puts_the_api_key_in_the_page(alice_client, settings):
    settings.TOKENGATE_API_KEY = "sk-very-secret"

    page = alice_client.get("/", follow=True).content.decode()

    assert "sk-very-secret" not in page


def test_it_lets_staff_review_conversations_and_images_in_the_admin(alice, png):
    conversation = Conversation.objects.create(owner=alice, title="Birds on a wire")
    conversation.messages.create(role="user", text="How many birds?")
    staff = get_user_model().objects.create_superuser("reviewer", password="x" * 12)
    reviewer = Client()
    reviewer.force_login(staff)
    alice_client = Client()
    alice_client.force_login(alice)
    upload(alice_client, png, "wire.png")

    conversations = reviewer.get("/admin/chat/conversation/").content.decode()
    detail = reviewer.get(
        f"/admin/chat/conversation/{conversation.pk}/change/", follow=True
    ).content.decode()
    image_list = reviewer.get("/admin/chat/imageattachment/").content.decode()

    assert "Birds on a wire" in conversations
    assert "How many birds?" in detail
    assert "wire.png" in image_list and "64×48" in image_list
    assert reviewer.get("/admin/chat/derivative/").status_code == 200
    # A user who is not staff is sent to the admin's login instead.
    assert alice_client.get("/admin/chat/conversation/").status_code == 302
