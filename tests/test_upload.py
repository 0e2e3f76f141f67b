import pytest
from django.core.files.storage import default_storage
from django.test import Client

from chat.models import ImageAttachment
from tests.conftest import upload
from tests.images import image_bytes

pytestmark = pytest.mark.django_db


def stored_files():
    if not default_storage.exists("images"):
        return []
    folders, _ = default_storage.listdir("images")
    return [f for folder in folders for f in default_storage.listdir(f"images/{folder}")[1]]


def test_it_accepts_a_png_and_describes_it(alice_client, png):
    response = upload(alice_client, png, "red.png", detail="high")

    assert response.status_code == 201
    payload = response.json()
    assert (payload["format"], payload["width"], payload["height"]) == ("PNG", 64, 48)
    assert payload["size"] == len(png) and payload["detail"] == "high"
    image = ImageAttachment.objects.get(code=payload["id"])
    assert image.file.read() == png
    assert alice_client.get(payload["thumbnail_url"])["Content-Type"] == "image/webp"


@pytest.mark.parametrize(
    "make, name",
    [
        (lambda: image_bytes("JPEG"), "photo.jpg"),
        (lambda: image_bytes("GIF"), "anim.gif"),
        (lambda: image_bytes("WEBP"), "pic.webp"),
    ],
)
def test_it_accepts_each_gateway_format(alice_client, make, name):
    assert upload(alice_client, make(), name).status_code == 201


def test_it_refuses_a_file_that_is_not_an_image(alice_client):
    response = upload(alice_client, b"<html><script>alert(1)</script></html>", "cat.png")

    assert response.status_code == 400
    assert response.json()["error"] == (
        "“cat.png” is not an image we can read. Upload a PNG, JPEG, GIF, WebP or HEIC file."
    )
    assert ImageAttachment.objects.count() == 0
    assert stored_files() == []


def test_it_refuses_a_file_over_20_mb(alice_client, png):
    too_big = png + b"\0" * (21 * 1024 * 1024 - len(png))

    response = upload(alice_client, too_big, "huge.png")

    assert response.status_code == 400
    assert response.json()["error"] == "“huge.png” is 21.0 MB; images must be at most 20.0 MB."
    assert ImageAttachment.objects.count() == 0
    assert stored_files() == []


def test_it_refuses_a_truncated_png(alice_client):
    whole = image_bytes("PNG", size=(300, 300), color=(10, 200, 90))

    response = upload(alice_client, whole[: len(whole) // 2], "cut.png")

    assert response.status_code == 400
    assert "“cut.png” is damaged or incomplete" in response.json()["error"]
    assert ImageAttachment.objects.count() == 0
    assert stored_files() == []


def test_it_refuses_a_format_the_gateway_does_not_take(alice_client):
    response = upload(alice_client, image_bytes("BMP"), "old.bmp")

    assert response.status_code == 400
    assert response.json()["error"] == (
        "“old.bmp” is a BMP image; the models accept PNG, JPEG, GIF, WebP or HEIC."
    )


def test_it_stores_the_same_image_once(alice_client, bob, png):
    upload(alice_client, png, "one.png")
    bob_client = Client()
    bob_client.force_login(bob)
    upload(bob_client, png, "two.png")

    assert ImageAttachment.objects.count() == 2
    assert len(stored_files()) == 1


def test_it_requires_login(client, png):
    response = upload(client, png)

    assert response.status_code == 302 and "/login/" in response["Location"]
    assert ImageAttachment.objects.count() == 0


def test_it_requires_a_csrf_token(alice, png):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)

    assert upload(client, png).status_code == 403
    assert ImageAttachment.objects.count() == 0


def test_it_serves_an_image_only_to_its_owner(alice_client, bob, png):
    url = upload(alice_client, png).json()["url"]
    bob_client = Client()
    bob_client.force_login(bob)

    assert alice_client.get(url).status_code == 200
    assert bob_client.get(url).status_code == 404
