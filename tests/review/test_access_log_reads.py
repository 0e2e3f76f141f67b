"""Staff reads of users' content beyond originals, review pages and exports are
on the record too (issue 17, finding 11): the high-detail copy and thumbnail of
someone's image, the image list, and searches across users' messages, with
their query. Each of these failed before: none was logged."""

import pytest

from chat.review.models import AccessLog
from tests.support.review import attach_image, make_conversation

pytestmark = pytest.mark.django_db


@pytest.fixture
def image(alice):
    conversation = make_conversation(alice)
    return attach_image(conversation.messages.first())


def entries():
    return [(e.staff_name, e.kind, e.what) for e in AccessLog.objects.order_by("id")]


@pytest.mark.parametrize("suffix, copy", [("", "high-detail copy"), ("thumbnail/", "thumbnail")])
def test_it_logs_staff_opening_a_copy_of_someones_image(rita_client, image, alice, suffix, copy):
    response = rita_client.get(f"/images/{image.code}/{suffix}", REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 200
    (entry,) = AccessLog.objects.all()
    assert (entry.staff_name, entry.kind, entry.owner) == ("rita", "image_copy", alice)
    assert entry.what.startswith(f"{copy} of image")
    assert entry.conversation == image.message.conversation
    assert entry.address == "203.0.113.7"


def test_it_logs_nothing_when_owners_open_their_own_images(alice_client, image):
    alice_client.get(f"/images/{image.code}/")
    alice_client.get(f"/images/{image.code}/thumbnail/")

    assert entries() == []


def test_it_logs_opening_the_image_list(rita_client, image):
    response = rita_client.get("/admin/chat/imageattachment/")

    assert response.status_code == 200
    assert entries() == [("rita", "list", "image list (thumbnails of every person's images)")]


def test_it_logs_a_search_across_users_messages_with_its_query(rita_client, alice):
    make_conversation(alice)

    rita_client.get("/admin/chat/conversation/", {"q": "PIN is 4321"})
    rita_client.get("/admin/chat/message/", {"q": "PIN is 4321"})

    assert entries() == [
        ("rita", "search", "searched conversations: PIN is 4321"),
        ("rita", "search", "searched messages: PIN is 4321"),
    ]
