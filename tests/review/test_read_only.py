"""What users and models said cannot be changed from the admin, by anyone."""

import pytest
from django.contrib.auth import get_user_model

from chat.models import Conversation, ImageAttachment, Message
from tests.support.review import attach_image, make_conversation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    superuser = get_user_model().objects.create_superuser("root", password="x" * 12)
    client.force_login(superuser)
    return client


@pytest.fixture
def conversation(alice):
    return make_conversation(alice)


def test_it_refuses_to_change_a_message_even_for_a_superuser(admin_client, conversation):
    answer = conversation.messages.get(role="assistant")

    response = admin_client.post(
        f"/admin/chat/message/{answer.pk}/change/", {"text": "rewritten", "role": "assistant"}
    )

    answer.refresh_from_db()
    assert answer.text == "**Answer 1**: a cat."
    assert response.status_code in (302, 403)  # to the review page, never saved


def test_it_has_no_add_or_delete_for_messages_and_images(admin_client, conversation):
    image = attach_image(conversation.messages.first())

    assert admin_client.post("/admin/chat/message/add/", {"text": "x"}).status_code == 403
    assert (
        admin_client.post(
            f"/admin/chat/imageattachment/{image.pk}/delete/", {"post": "yes"}
        ).status_code
        == 403
    )
    response = admin_client.post(
        f"/admin/chat/imageattachment/{image.pk}/change/", {"name": "other.png"}
    )
    image.refresh_from_db()
    assert response.status_code in (302, 403) and image.name == "cat.png"
    assert ImageAttachment.objects.filter(pk=image.pk).exists()
    assert Message.objects.count() == 2


def test_it_refuses_to_delete_a_conversation_while_an_answer_streams(admin_client, conversation):
    Message.objects.create(conversation=conversation, role="assistant", status="streaming")

    response = admin_client.post(
        f"/admin/chat/conversation/{conversation.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 403
    assert Conversation.objects.filter(pk=conversation.pk).exists()


def test_it_deletes_a_finished_conversation_for_a_superuser(admin_client, conversation):
    response = admin_client.post(
        f"/admin/chat/conversation/{conversation.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Conversation.objects.filter(pk=conversation.pk).exists()


def test_it_offers_no_bulk_delete(admin_client, conversation):
    response = admin_client.post(
        "/admin/chat/conversation/",
        {"action": "delete_selected", "_selected_action": [conversation.pk], "post": "yes"},
    )

    assert Conversation.objects.filter(pk=conversation.pk).exists()
    assert response.status_code in (200, 302)


def test_it_opens_the_review_page_instead_of_an_edit_form(admin_client, conversation):
    response = admin_client.get(f"/admin/chat/conversation/{conversation.pk}/change/")

    assert response["Location"] == f"/admin/chat/conversation/{conversation.pk}/review/"
