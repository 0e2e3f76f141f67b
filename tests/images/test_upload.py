import pytest
from django.core.files.storage import default_storage
from django.test import Client

from chat.models import ImageAttachment
from tests.support.images import animated_gif, bomb_png, decoded, heic_photo, image_bytes
from tests.support.uploads import upload

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


def test_it_refuses_a_gif_whose_frames_cannot_be_counted(alice_client):
    """Pillow raises IndexError counting this GIF's frames (found by the upload
    fuzz test); /upload/ answered 500 before."""
    mangled = bytes.fromhex(
        "4749463839610800080080000000000000000021fe026869002c00000000080008"
        "0000080f0001081c48b0a0c18308132a4c18100021"
    )

    response = upload(alice_client, mangled, "mangled.gif")

    assert response.status_code == 400
    assert "“mangled.gif” is damaged or incomplete" in response.json()["error"]
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


def test_it_accepts_a_heic_photo_and_keeps_the_original(alice_client):
    heic = heic_photo()

    response = upload(alice_client, heic, "IMG_0002.HEIC")

    assert response.status_code == 201
    payload = response.json()
    assert (payload["format"], payload["width"], payload["height"]) == ("HEIF", 1600, 1200)
    assert ImageAttachment.objects.get(code=payload["id"]).file.read() == heic
    # What users (and the model) see is a JPEG.
    shown = alice_client.get(payload["url"])
    assert shown["Content-Type"] == "image/jpeg"
    assert decoded(b"".join(shown.streaming_content)).format == "JPEG"


def test_it_refuses_a_decompression_bomb_without_a_server_error(alice_client):
    response = upload(alice_client, bomb_png(100_000, 100_000), "bomb.png")

    assert response.status_code == 400
    assert response.json()["error"] == (
        "“bomb.png” has too many pixels to process safely; the limit is 50 megapixels."
    )
    assert ImageAttachment.objects.count() == 0


def test_it_refuses_an_image_over_the_pixel_limit(alice_client):
    response = upload(alice_client, bomb_png(8000, 8000), "big.png")

    assert response.status_code == 400
    assert response.json()["error"] == (
        "“big.png” is 8000×8000 pixels; images may have at most 50 megapixels."
    )


def test_it_gives_token_estimates_per_model_and_detail(alice_client, settings):
    settings.TOKENGATE_MODELS = ["gpt-4o", "gemini-2.5-pro"]

    payload = upload(alice_client, image_bytes("JPEG", size=(1600, 1200)), "a.jpg").json()

    # 1600×1200 → high 1024×768: 2×2 tiles; Gemini: 2×1 tiles of 768.
    assert payload["estimates"]["gpt-4o"] == {"low": 85, "high": 765, "auto": 765}
    assert payload["estimates"]["gemini-2.5-pro"] == {"low": 258, "high": 516, "auto": 516}
    assert payload["name"] == "a.jpg"


def test_it_says_a_gif_is_animated(alice_client):
    payload = upload(alice_client, animated_gif(), "anim.gif").json()

    assert payload["animated"] is True


def test_it_shows_users_the_cleaned_upright_image(alice_client, camera_jpeg):
    payload = upload(alice_client, camera_jpeg, "IMG_0001.JPG").json()

    shown = decoded(b"".join(alice_client.get(payload["url"]).streaming_content))
    thumbnail = decoded(b"".join(alice_client.get(payload["thumbnail_url"]).streaming_content))

    assert shown.size == (768, 1152) and not shown.getexif()
    assert thumbnail.size == (213, 320) and not thumbnail.getexif()
    original = alice_client.get(payload["url"].rstrip("/") + "/original/")
    assert b"".join(original.streaming_content) == camera_jpeg


def test_it_serves_the_original_only_to_its_owner(alice_client, bob, camera_jpeg):
    url = upload(alice_client, camera_jpeg).json()["url"] + "original/"
    bob_client = Client()
    bob_client.force_login(bob)

    assert bob_client.get(url).status_code == 404


def test_it_shows_the_viewer_the_original_of_an_image_a_browser_draws(alice_client, camera_jpeg):
    payload = upload(alice_client, camera_jpeg, "IMG_0001.JPG").json()

    shown = alice_client.get(payload["view_url"])

    # Full resolution for zooming in: the bytes as taken, not the 768-px copy.
    assert b"".join(shown.streaming_content) == camera_jpeg


def test_it_shows_the_viewer_the_jpeg_copy_of_a_heic_photo(alice_client):
    payload = upload(alice_client, heic_photo(), "IMG_0002.HEIC").json()

    # Browsers other than Safari cannot draw HEIC.
    assert payload["view_url"] == payload["url"]
    assert alice_client.get(payload["view_url"])["Content-Type"] == "image/jpeg"
