"""The "Your images" page: the person's own images, newest first, 60 a page,
filtered by uploaded, generated or marked up; the viewer's display copy."""

import io

import pytest
from PIL import Image

from chat.models import Conversation, Derivative, ImageAttachment, ImageSource
from chat.studio import gallery, lineage
from tests.support.images import image_bytes
from tests.support.uploads import upload


@pytest.fixture
def conversation(alice):
    return Conversation.objects.create(
        owner=alice, model="gemini-3-pro-image-preview", title="Fields"
    )


def sent(client, conversation, data, role="user", name="photo.png"):
    image = ImageAttachment.objects.get(code=upload(client, data, name=name).json()["id"])
    image.message = conversation.append(role=role, text="x")
    image.save()
    return image


def test_it_lists_the_persons_images_newest_first_with_their_message(
    alice_client, conversation, png, jpeg
):
    older = sent(alice_client, conversation, png, name="older.png")
    newer = sent(alice_client, conversation, jpeg, role="assistant", name="newer.jpg")

    response = alice_client.get("/images/")

    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("newer.jpg") < page.index("older.png")
    assert f"/c/{conversation.code}/#message-{newer.message_id}" in page
    assert f"#message-{older.message_id}" in page


def test_it_filters_by_where_the_image_came_from(alice_client, conversation, png, jpeg):
    uploaded = sent(alice_client, conversation, png, name="mine.png")
    generated = sent(alice_client, conversation, jpeg, role="assistant", name="drawn.jpg")
    marked = sent(alice_client, conversation, image_bytes("PNG", size=(30, 30)), name="marked.png")
    ImageSource.objects.create(image=marked, source=uploaded, kind=ImageSource.Kind.MARKUP)
    reused = lineage.reuse(generated, owner=generated.owner)  # attached again: not listed twice
    reused.message = conversation.append(role="user", text="again")
    reused.save()

    def names(kind):
        data = alice_client.get("/images/", {"kind": kind, "format": "json"}).json()
        return [image["name"] for image in data["images"]]

    assert names("") == ["marked.png", "drawn.jpg", "mine.png"]
    assert names("uploaded") == ["mine.png"]
    assert names("generated") == ["drawn.jpg"]
    assert names("markup") == ["marked.png"]


def test_it_shows_sixty_at_a_time_and_the_next_page_on_asking(alice_client, conversation, png):
    first = sent(alice_client, conversation, png)
    message = first.message
    for _ in range(gallery.PAGE_SIZE):
        copy = first.copy()
        copy.message = message
        copy.save()

    data = alice_client.get("/images/", {"format": "json"}).json()
    assert len(data["images"]) == 60 and data["more"]
    rest = alice_client.get("/images/", {"format": "json", "before": data["before"]}).json()
    assert len(rest["images"]) == 1 and not rest["more"]
    assert rest["images"][0]["id"] == str(first.code)  # the oldest comes last


def test_it_shows_no_one_elses_images(client, bob, alice_client, conversation, png):
    sent(alice_client, conversation, png, name="alices.png")
    client.force_login(bob)

    assert "alices.png" not in client.get("/images/").content.decode()


def test_it_refuses_a_bad_filter_with_a_sentence(alice_client):
    response = alice_client.get("/images/", {"kind": "stolen"})

    assert response.status_code == 400
    assert response.json()["error"] == "Choose uploaded, generated or marked up images."


def test_the_display_copy_is_at_most_2048_px_and_made_once(alice_client, conversation):
    big = sent(alice_client, conversation, image_bytes("JPEG", size=(3000, 1500)), name="big.jpg")

    first = alice_client.get(f"/images/{big.code}/display/")
    again = alice_client.get(f"/images/{big.code}/display/")

    shown = Image.open(io.BytesIO(b"".join(first.streaming_content)))
    assert shown.size == (2048, 1024)
    assert b"".join(again.streaming_content)
    assert big.owner.images.count() == 1
    assert Derivative.objects.filter(source=big.sha256, kind="view").count() == 1


def test_the_display_copy_is_the_owners(client, bob, alice_client, conversation, png):
    image = sent(alice_client, conversation, png)
    client.force_login(bob)

    assert client.get(f"/images/{image.code}/display/").status_code == 404
