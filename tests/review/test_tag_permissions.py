"""Shared tags need their own permission to change, and leave a record (issue
17, finding 9). Failed before: any reviewer could rename or delete a tag,
removing every other reviewer's labels with no activity entry."""

import pytest
from django.contrib.auth.models import Permission

from chat.review.models import Activity, ConversationTag, MessageTag, Tag
from tests.support.review import answers, make_conversation

pytestmark = pytest.mark.django_db
TAGS = "/admin/review/tag/"


@pytest.fixture
def tagged(alice, ravi):
    """Two conversations labelled "unsafe" by ravi, one on a message."""
    unsafe = Tag.objects.get(name="unsafe")
    first, second = make_conversation(alice), make_conversation(alice)
    ConversationTag.objects.create(conversation=first, tag=unsafe, added_by=ravi)
    MessageTag.objects.create(message=answers(second)[0], tag=unsafe, added_by=ravi)
    return unsafe, first, second


def grant(user, *codenames):
    user.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="review", codename__in=codenames)
    )


def test_it_refuses_a_reviewer_deleting_a_shared_tag(rita_client, tagged):
    unsafe, _, _ = tagged

    response = rita_client.post(f"{TAGS}{unsafe.pk}/delete/", {"post": "yes"})

    assert response.status_code == 403
    assert Tag.objects.filter(pk=unsafe.pk).exists()
    assert ConversationTag.objects.count() == MessageTag.objects.count() == 1


def test_it_refuses_a_reviewer_renaming_a_shared_tag(rita_client, tagged):
    unsafe, _, _ = tagged

    response = rita_client.post(f"{TAGS}{unsafe.pk}/change/", {"name": "fine", "description": ""})

    assert response.status_code == 403
    unsafe.refresh_from_db()
    assert unsafe.name == "unsafe"


def test_it_lets_a_reviewer_read_the_tags(rita_client, tagged):
    page = rita_client.get(TAGS)

    assert page.status_code == 200 and "unsafe" in page.content.decode()


def test_it_records_a_permitted_deletion_on_every_conversation_that_loses_the_tag(
    rita_client, rita, tagged
):
    unsafe, first, second = tagged
    grant(rita, "delete_tag")

    response = rita_client.post(f"{TAGS}{unsafe.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Tag.objects.filter(name="unsafe").exists()
    records = Activity.objects.filter(action="tag deleted")
    assert {(a.conversation_id, a.actor, a.value) for a in records} == {
        (first.pk, rita, "unsafe"),
        (second.pk, rita, "unsafe"),
    }


def test_it_records_a_permitted_rename(rita_client, rita, tagged):
    unsafe, first, second = tagged
    grant(rita, "change_tag")

    response = rita_client.post(
        f"{TAGS}{unsafe.pk}/change/", {"name": "harmful", "description": "Harmful content"}
    )

    assert response.status_code == 302
    records = Activity.objects.filter(action="tag renamed")
    assert {(a.conversation_id, a.value) for a in records} == {
        (first.pk, "unsafe → harmful"),
        (second.pk, "unsafe → harmful"),
    }
