"""Boxes on images in review: drawn round what an answer got wrong (or right),
with a tag and a note, kept in the original's pixels, shown over the image,
changed or deleted by their author only, hidden from an undecided reviewer as
other labels are, and for reviewers only."""

import json

import pytest
from django.test import Client

from chat.review.models import Activity, Decision, ImageBox
from tests.support.review import attach_image, make_conversation, make_staff, review_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def photo(alice):
    conversation = make_conversation(alice, turns=1)
    image = attach_image(conversation.messages.get(role="user"), size=(400, 300))
    return conversation, image


def draw(client, conversation, image, **fields):
    data = {"action": "box", "image": image.code, "x": 40, "y": 30, "width": 100, "height": 60,
            "tag": "misread-total", "note": "says 42, reads 45", "verdict": "wrong",
            **fields}  # fmt: skip
    return client.post(review_url(conversation), data)


def test_a_drawn_box_is_kept_in_the_originals_pixels_with_its_tag_and_note(
    rita_client, rita, photo
):
    conversation, image = photo

    response = draw(rita_client, conversation, image)

    assert response.status_code == 302 and response["Location"].endswith(f"#image-{image.code}")
    box = ImageBox.objects.get()
    assert (box.x, box.y, box.width, box.height) == (40, 30, 100, 60)
    assert (box.label, box.note, box.verdict, box.author) == (
        "misread-total", "says 42, reads 45", "wrong", rita,
    )  # fmt: skip
    assert Activity.objects.filter(action="box drawn", conversation=conversation).exists()


def test_the_box_is_drawn_over_the_thumbnail_and_the_drawing_copy_in_percent(rita_client, photo):
    conversation, image = photo
    draw(rita_client, conversation, image)

    page = rita_client.get(review_url(conversation)).content.decode()

    # 40/400, 30/300, 100/400, 60/300 of the image: right on any size of copy.
    place = 'data-left="10.0000%" data-top="10.0000%" data-width="25.0000%" data-height="20.0000%"'
    assert page.count(place) == 2  # the thumbnail and the 800 px drawing copy
    assert 'data-width="400" data-height="300"' in page
    assert f"/images/{image.code}/display/" in page
    assert "misread-total" in page and "says 42, reads 45" in page


def test_a_box_past_the_edge_keeps_what_is_on_the_image_and_one_off_it_is_refused(
    rita_client, photo
):
    conversation, image = photo

    draw(rita_client, conversation, image, x=350, y=-20, width=100, height=70)
    draw(rita_client, conversation, image, x=500, y=10, width=20, height=20)

    box = ImageBox.objects.get()
    assert (box.x, box.y, box.width, box.height) == (350, 0, 50, 50)
    page = rita_client.get(review_url(conversation)).content.decode()
    assert "The box is outside the image (400×300 px)" in page


def test_only_its_author_changes_or_deletes_a_box(rita_client, ravi, photo):
    conversation, image = photo
    draw(rita_client, conversation, image)
    box = ImageBox.objects.get()
    other = Client()
    other.force_login(ravi)
    Decision.objects.create(conversation=conversation, reviewer=ravi, value="approve")

    other.post(review_url(conversation), {
        "action": "change_box", "box": box.pk, "x": 0, "y": 0, "width": 5, "height": 5,
        "verdict": "right",
    })  # fmt: skip
    other.post(review_url(conversation), {"action": "delete_box", "box": box.pk})
    box.refresh_from_db()
    assert (box.x, box.width, box.verdict) == (40, 100, "wrong")
    assert (
        "Only the reviewer who drew a box can"
        in other.get(review_url(conversation)).content.decode()
    )

    rita_client.post(review_url(conversation), {
        "action": "change_box", "box": box.pk, "x": 10, "y": 20, "width": 30, "height": 40,
        "tag": "right-total", "verdict": "right",
    })  # fmt: skip
    box.refresh_from_db()
    assert (box.x, box.y, box.width, box.height, box.label, box.verdict) == (
        10, 20, 30, 40, "right-total", "right",
    )  # fmt: skip
    rita_client.post(review_url(conversation), {"action": "delete_box", "box": box.pk})
    assert not ImageBox.objects.exists()


def test_others_boxes_stay_hidden_until_the_reviewer_decides(rita_client, rita, ravi, photo):
    conversation, image = photo
    other = Client()
    other.force_login(ravi)
    draw(other, conversation, image, note="ravi's own reading")

    before = rita_client.get(review_url(conversation)).content.decode()
    Decision.objects.create(conversation=conversation, reviewer=rita, value="approve")
    after = rita_client.get(review_url(conversation)).content.decode()

    assert "ravi's own reading" not in before and "1 more hidden until you decide" in before
    assert "ravi&#x27;s own reading" in after


def test_staff_without_the_review_permission_cannot_draw_and_no_box_crosses_conversations(
    rita_client, alice, photo
):
    conversation, image = photo
    client = Client()
    client.force_login(make_staff("stan"))
    elsewhere = make_conversation(alice, turns=1)

    refused = draw(client, conversation, image)
    crossed = draw(rita_client, elsewhere, image)

    assert refused.status_code == 403
    assert crossed.status_code == 404
    assert not ImageBox.objects.exists()


def test_the_json_lines_export_carries_the_boxes_its_reader_may_see(rita_client, rita, ravi, photo):
    conversation, image = photo
    other = Client()
    other.force_login(ravi)
    draw(other, conversation, image, note="ravi's own reading")
    draw(rita_client, conversation, image, x=0, y=0, width=10, height=20, tag="")
    url = f"/admin/chat/conversation/{conversation.pk}/export/jsonl/"

    def exported():
        line = json.loads(b"".join(rita_client.get(url).streaming_content))
        (picture,) = [i for m in line["messages"] for i in m["images"]]
        return picture["boxes"]

    before = exported()
    Decision.objects.create(conversation=conversation, reviewer=rita, value="approve")
    after = exported()

    assert [(b["bbox"], b["label"], b["author"]) for b in before] == [([0, 0, 10, 20], "", "rita")]
    assert [(b["bbox"], b["label"], b["note"]) for b in after] == [
        ([40, 30, 100, 60], "misread-total", "ravi's own reading"),
        ([0, 0, 10, 20], "", "says 42, reads 45"),
    ]
