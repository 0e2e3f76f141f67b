"""What the model gets from an image: checked, upright, without metadata, sized
for its detail level, encoded once."""

import io

import pytest
from PIL import Image

from chat import images
from chat.images import derivatives, tokens
from chat.models import Derivative, ImageAttachment
from tests.support.images import (
    BODY_SERIAL,
    GPS_IFD,
    animated_gif,
    bomb_png,
    decoded,
    heic_photo,
    image_bytes,
    transparent_png,
)


def no_metadata(image):
    exif = image.getexif()
    return (
        not exif
        and not exif.get_ifd(GPS_IFD)
        and "exif" not in image.info
        and "xmp" not in image.info
        and "comment" not in image.info
    )


@pytest.mark.parametrize(
    "kind, size",
    [
        # Upright 4000×6000: low fits in 512; high fits in 2048 (1365×2048),
        # then the shorter side is cut to 768.
        ("low", (341, 512)),
        ("high", (768, 1152)),
    ],
)
def test_it_makes_an_upright_derivative_without_gps(camera_jpeg, kind, size):
    data, mime, width, height = images.make_derivative(camera_jpeg, kind)

    image = decoded(data)
    assert mime == "image/jpeg" and image.format == "JPEG"
    assert image.size == (width, height) == size
    assert no_metadata(image)
    # Stored with the red half on the left and orientation 6 (turn 90° clockwise):
    # upright, red is on top.
    top, bottom = image.getpixel((width // 2, 5)), image.getpixel((width // 2, height - 5))
    assert top[0] > 200 and top[2] < 60
    assert bottom[2] > 200 and bottom[0] < 60


def test_it_keeps_the_camera_original_byte_for_byte(camera_jpeg):
    checked = images.check_image(camera_jpeg, name="IMG_0001.JPG")

    # The header's 6000×4000 is reported upright, as the user sees it.
    assert (checked.width, checked.height) == (4000, 6000)
    original = Image.open(io.BytesIO(checked.data))
    assert original.getexif().get_ifd(GPS_IFD)[2] == (52.0, 22.0, 1.5)
    assert original.getexif()[BODY_SERIAL] == "SN-4242"


def test_it_never_upscales():
    small = image_bytes("PNG", size=(300, 200), color=(10, 120, 200))

    for kind in ("low", "high"):
        _, _, width, height = images.make_derivative(small, kind)
        assert (width, height) == (300, 200)


def test_it_sends_a_clean_original_that_is_smaller_than_a_reencoding():
    # A flat 64×48 PNG is a few hundred bytes; a JPEG of it would be larger.
    small = image_bytes("PNG", size=(64, 48))

    assert images.make_derivative(small, "low")[:2] == (small, "image/png")


def test_it_reencodes_a_small_original_that_carries_metadata():
    exif = Image.Exif()
    exif[BODY_SERIAL] = "SN-4242"
    small = image_bytes("JPEG", size=(64, 48), exif=exif)

    data, mime, _, _ = images.make_derivative(small, "low")

    assert data != small and no_metadata(decoded(data))


def test_it_keeps_transparency_as_png():
    data, mime, width, height = images.make_derivative(transparent_png(), "high")

    image = decoded(data)
    assert mime == "image/png" and image.mode == "RGBA"
    assert (width, height) == (1075, 768)
    assert image.getpixel((0, 0))[3] == 0 and image.getpixel((537, 384))[3] == 255


def test_it_sends_the_first_frame_of_an_animated_gif():
    gif = animated_gif()
    checked = images.check_image(gif, name="anim.gif")

    data, mime, _, _ = images.make_derivative(gif, "low")

    assert checked.frames == 3
    image = decoded(data)
    assert getattr(image, "n_frames", 1) == 1
    red, green, _ = image.convert("RGB").getpixel((10, 10))
    assert red > 200 and green < 60


def test_it_converts_heic_to_jpeg():
    heic = heic_photo()
    checked = images.check_image(heic, name="IMG_0002.HEIC")

    data, mime, width, height = images.make_derivative(heic, "high")

    assert checked.format == "HEIF"
    assert mime == "image/jpeg" and decoded(data).format == "JPEG"
    assert (width, height) == (1024, 768)


def test_it_sends_a_webp_as_the_smaller_of_itself_and_a_jpeg():
    webp = image_bytes("WEBP", size=(800, 600), color=(30, 160, 90))

    data, mime, width, height = images.make_derivative(webp, "high")

    assert (width, height) == (800, 600)
    assert len(data) <= len(webp)
    assert decoded(data).format == mime.split("/")[1].upper()


@pytest.mark.parametrize("size", [(8000, 8000), (100_000, 100_000)])
def test_it_refuses_a_decompression_bomb_from_its_header(size):
    # 64 MP is over our 50 MP limit; 10 gigapixels also trips Pillow's own guard.
    with pytest.raises(images.ImageRejected) as refused:
        images.check_image(bomb_png(*size), name="bomb.png")

    assert "too many pixels" in refused.value.message or "megapixels" in refused.value.message


@pytest.mark.parametrize(
    "model, detail, width, height, tokens",
    [
        ("gpt-4o", "low", 6000, 4000, 85),
        # 6000×4000 → 1152×768: 3×2 tiles.
        ("gpt-4o", "high", 6000, 4000, 85 + 170 * 6),
        ("gpt-4o", "auto", 6000, 4000, 85 + 170 * 6),
        ("gpt-4o", "high", 400, 300, 85 + 170),
        # auto sends an image that fits in 512×512 at low.
        ("gpt-4o", "auto", 400, 300, 85),
        ("gemini-2.5-pro", "low", 300, 200, 258),
        # 512×341 is over 384 on one side: one 768 tile.
        ("gemini-2.5-pro", "low", 6000, 4000, 258),
        # 1152×768: 2×1 tiles.
        ("gemini-2.5-pro", "high", 6000, 4000, 516),
    ],
)
def test_it_estimates_input_tokens(model, detail, width, height, tokens):
    assert images.estimate_tokens(model, width, height, detail) == tokens


def test_it_prices_every_detail_a_person_can_pick():
    # chat/images/tokens.py spells the choices as strings to import no models.
    estimates = images.estimates(400, 300, ["gpt-4o"])["gpt-4o"]
    assert list(estimates) == ImageAttachment.Detail.values
    assert {tokens.LOW, tokens.HIGH, tokens.VIEW} == set(Derivative.Kind.values)


@pytest.mark.django_db
def test_it_encodes_each_derivative_once(alice, monkeypatch):
    checked = images.check_image(image_bytes("JPEG", size=(1600, 1200)), name="a.jpg")
    encodes = []
    real = images.encode_derivative
    monkeypatch.setattr(derivatives, "encode_derivative", lambda im: encodes.append(1) or real(im))

    first = images.store_image(owner=alice, checked=checked, name="a.jpg")
    second = images.store_image(owner=alice, checked=checked, name="again.jpg")
    images.derivative_for(first, "high")
    images.derivative_for(second, "high")

    # low at the first upload (for the thumbnail), high on first use; never again.
    assert len(encodes) == 2
    assert Derivative.objects.count() == 2


class StoredDerivative:
    """What data_uri reads of a Derivative, counting reads of its file."""

    def __init__(self, name, size):
        self.sha256, self.mime, self.size, self.reads = name, "image/jpeg", size, 0
        self.file = self

    def open(self, mode):
        self.reads += 1
        return io.BytesIO(b"\xff" * self.size)


def test_it_keeps_the_most_recently_used_data_uris_within_64_mib():
    # 20 MiB of JPEG is 28 million characters of base64: two fit, not three.
    a, b, c = (StoredDerivative(name, 20 * 1024 * 1024) for name in "abc")

    first = images.data_uri(a)
    images.data_uri(b)
    assert images.data_uri(a) is first  # from memory, not storage
    images.data_uri(c)
    for derivative in (a, c, b):
        images.data_uri(derivative)

    assert first.startswith("data:image/jpeg;base64,/////")
    assert (a.reads, b.reads, c.reads) == (1, 2, 1)  # b was the least recently used
