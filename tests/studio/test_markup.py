"""A marked-up copy: stored as a new image of the person's that knows its
source and its marks, the original untouched; the request says what the marks
are; bad marks get a sentence."""

import json

import pytest

from chat.live import request_body
from chat.models import Conversation, ImageAttachment, ImageSource
from tests.support.images import image_bytes
from tests.support.uploads import upload

MARKS = [{"shape": "rectangle", "colour": "red"}, {"shape": "arrow", "colour": "red"},
         {"shape": "text", "colour": "blue", "text": "door"}]  # fmt: skip


@pytest.fixture
def photo(alice_client, png):
    return ImageAttachment.objects.get(code=upload(alice_client, png, name="hall.png").json()["id"])


def mark_up(client, image, marks=MARKS, data=None):
    drawn = data if data is not None else image_bytes("PNG", size=(64, 48), color=(200, 10, 10))
    return client.post(
        f"/images/{image.code}/markup/",
        {"file": _file(drawn), "marks": json.dumps(marks)},
    )


def _file(data):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("marked.png", data, content_type="image/png")


def test_it_stores_the_marked_copy_as_a_new_image_that_knows_its_source(alice_client, photo):
    original = (photo.sha256, photo.file.name)

    response = mark_up(alice_client, photo)

    assert response.status_code == 201
    marked = ImageAttachment.objects.get(code=response.json()["id"])
    assert marked.owner == photo.owner and marked.message is None
    assert marked.name == "hall-marked.png"
    link = marked.sources.get()
    assert (link.kind, link.source, link.marks) == (ImageSource.Kind.MARKUP, photo, MARKS)
    photo.refresh_from_db()
    assert (photo.sha256, photo.file.name) == original  # the original stays as it was


def test_the_request_says_what_the_marks_are(alice_client, alice, photo):
    marked = ImageAttachment.objects.get(code=mark_up(alice_client, photo).json()["id"])
    conversation = Conversation.objects.create(owner=alice, model="gpt-4o")
    message, _ = conversation.add_turn(
        user=alice, text="What is here?", images=[(photo.code, "auto"), (marked.code, "auto")],
        model="gpt-4o",
    )  # fmt: skip

    body = request_body.build_request(conversation.path(message.pk), model="gpt-4o")

    texts = [p["text"] for p in body["messages"][-1]["content"] if p["type"] == "text"]
    assert texts[0] == (
        "The red and blue marks on image 2 (a rectangle, an arrow and the label “door”) were "
        "drawn by the user to point at what they mean; they are not part of the original picture."
    )
    assert texts[-1] == "What is here?"


def test_an_image_without_marks_gets_no_note(alice_client, alice, photo):
    conversation = Conversation.objects.create(owner=alice, model="gpt-4o")
    message, _ = conversation.add_turn(
        user=alice, text="Hi", images=[(photo.code, "auto")], model="gpt-4o"
    )

    body = request_body.build_request(conversation.path(message.pk), model="gpt-4o")

    assert [p["type"] for p in body["messages"][-1]["content"]] == ["image_url", "text"]


@pytest.mark.parametrize(
    "marks, sentence",
    [
        ([], "Draw at least one mark."),
        ([{"shape": "star", "colour": "red"}],
         "A mark must be an arrow, rectangle, ellipse, line or label."),
        ([{"shape": "arrow", "colour": "pink"}],
         "A mark's colour must be red, yellow, green, blue or black."),
        ([{"shape": "text", "colour": "red", "text": ""}], "A label holds 1 to 200 characters."),
    ],
)  # fmt: skip
def test_bad_marks_get_a_sentence_and_store_nothing(alice_client, photo, marks, sentence):
    response = mark_up(alice_client, photo, marks)

    assert response.status_code == 400
    assert response.json()["error"] == sentence
    assert not ImageSource.objects.exists()


def test_a_drawing_over_2048_px_on_its_long_side_is_refused(alice_client, photo):
    """Failed before: a drawing of any size the upload limits allow was stored."""
    at_most = mark_up(alice_client, photo, data=image_bytes("PNG", size=(2048, 1100)))
    over = mark_up(alice_client, photo, data=image_bytes("PNG", size=(1100, 2049)))

    assert at_most.status_code == 201
    assert (at_most.json()["width"], at_most.json()["height"]) == (2048, 1100)
    assert over.status_code == 400
    assert over.json()["error"] == (
        "A marked copy can be at most 2048 px on its long side; this one is 1100×2049."
    )
    assert ImageSource.objects.count() == 1


def test_a_drawing_that_is_not_an_image_is_refused(alice_client, photo):
    response = mark_up(alice_client, photo, data=b"<html>not a picture</html>")

    assert response.status_code == 400
    assert "not an image" in response.json()["error"]


def test_no_one_marks_up_another_persons_image(client, bob, photo):
    client.force_login(bob)

    assert mark_up(client, photo).status_code == 404
