"""Who may see what in review: reviewers see transcripts, staff without the
permissions see nothing, originals need their own permission."""

import pytest
from django.contrib.auth.models import Group

from chat.review.models import AccessLog
from tests.support.review import (
    attach_image,
    make_conversation,
    make_reviewer,
    make_staff,
    review_url,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conversation(alice):
    return make_conversation(alice, title="alice's private chat")


@pytest.fixture
def image(conversation):
    return attach_image(conversation.messages.first())


def test_it_makes_a_reviewers_group_with_both_permissions():
    group = Group.objects.get(name="Reviewers")

    codes = set(group.permissions.values_list("codename", flat=True))
    assert {"review_conversation", "view_original_image"} <= codes


def test_it_shows_staff_without_the_permissions_no_conversation(client, conversation, image):
    client.force_login(make_staff("stan"))

    index = client.get("/admin/").content.decode()
    assert "Conversations" not in index and "Review next" not in index
    for url in [
        "/admin/chat/conversation/", review_url(conversation), "/admin/chat/message/",
        "/admin/chat/imageattachment/", "/admin/chat/conversation/summary/",
        "/admin/chat/conversation/queue/next/",
        f"/admin/chat/conversation/{conversation.pk}/export/jsonl/",
    ]:  # fmt: skip
        assert client.get(url).status_code in (403, 404), url
    assert client.get(f"/images/{image.code}/original/").status_code == 404
    assert client.get(f"/images/{image.code}/thumbnail/").status_code == 404
    assert not AccessLog.objects.exists()


def test_it_sends_anonymous_visitors_to_the_admin_login(client, conversation, image):
    response = client.get(review_url(conversation))

    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    assert client.get(f"/images/{image.code}/original/").status_code == 302


def test_it_shows_a_reviewer_the_list_and_the_transcript(client, conversation):
    client.force_login(make_reviewer("rita"))

    listing = client.get("/admin/chat/conversation/").content.decode()
    page = client.get(review_url(conversation)).content.decode()

    assert "alice&#x27;s private chat" in listing
    assert "Question 1 about the cat" in page
    assert "<strong>Answer 1</strong>: a cat." in page  # the answer's markdown, rendered


def test_it_opens_originals_only_with_their_own_permission(client, conversation, image):
    reviewer = make_reviewer("rita")
    client.force_login(reviewer)
    assert client.get(f"/images/{image.code}/original/").status_code == 200

    reviewer.groups.clear()
    reviewer.user_permissions.add(
        *Group.objects.get(name="Reviewers").permissions.filter(codename="review_conversation")
    )
    client.force_login(reviewer)  # a fresh session: permissions are cached per user object
    assert client.get(f"/images/{image.code}/thumbnail/").status_code == 200
    assert client.get(f"/images/{image.code}/original/").status_code == 404
    assert "/original/" not in client.get(review_url(conversation)).content.decode()


def test_it_still_serves_owners_their_own_originals(alice_client, image):
    assert alice_client.get(f"/images/{image.code}/original/").status_code == 200
    assert not AccessLog.objects.exists()  # only staff reads are logged
