"""Derivatives keep no metadata but the ICC profile, in every container (issue
17, finding 7). They go to the model and to reviewers without the originals
permission, so a comment holding GPS coordinates must not reach them.

Before chat/images/metadata.py, a JPEG's or GIF's comment was written into
the re-encoded JPEG by Pillow, and a small PNG with a private chunk was sent
byte-identical as a "clean original": the tests marked so failed.
"""

import io
import struct
import zlib

import pytest
from PIL import Image, ImageCms

from chat import images
from chat.images.metadata import only_image_data

SECRET = b"GPS 52.3702 N 4.8952 E, home"


def flat(fmt, size=(64, 48), mode="RGB", **options):
    out = io.BytesIO()
    Image.new(mode, size, (40, 90, 160)[: len(mode)]).save(out, fmt, **options)
    return out.getvalue()


def png_chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def with_png_chunk(data, chunk):
    """`chunk` inserted right after IHDR (8-byte signature, 25-byte IHDR)."""
    return data[:33] + chunk + data[33:]


def with_jpeg_segment(data, marker, body):
    """A segment inserted right after SOI."""
    return data[:2] + bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body + data[2:]


def derivatives_of(data):
    return [images.make_derivative(data, kind)[0] for kind in ("low", "high")]


def assert_clean(derivative):
    assert SECRET not in derivative
    assert only_image_data(derivative), "the derivative holds more than pixels and ICC"
    with Image.open(io.BytesIO(derivative)) as image:
        assert not {"comment", "exif", "xmp", "XML:com.adobe.xmp"} & set(image.info)
        assert not getattr(image, "text", None)


@pytest.mark.parametrize("size", [(64, 48), (3000, 2000)])  # sent as is, or resized
def test_it_drops_a_jpeg_comment(size):
    """Failed before: Pillow wrote the comment into the re-encoded JPEG."""
    data = flat("JPEG", size=size, comment=SECRET)

    for derivative in derivatives_of(data):
        assert_clean(derivative)


@pytest.mark.parametrize(
    "marker, body",
    [
        (0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>" + SECRET + b"</x:xmpmeta>"),
        (0xED, b"Photoshop 3.0\x008BIM" + SECRET),  # IPTC
        (0xEF, b"vendor\x00" + SECRET),  # any other APPn
        (0xE0, b"JFXX\x00\x10" + SECRET),  # a JFIF extension thumbnail
    ],
)
def test_it_drops_jpeg_application_segments(marker, body):
    data = with_jpeg_segment(flat("JPEG"), marker, body)
    assert Image.open(io.BytesIO(data)).size == (64, 48)  # still a valid JPEG

    for derivative in derivatives_of(data):
        assert_clean(derivative)


@pytest.mark.parametrize(
    "chunk",
    [
        png_chunk(b"tEXt", b"Comment\x00" + SECRET),
        png_chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(SECRET)),
        png_chunk(b"iTXt", b"Comment\x00\x00\x00en\x00\x00" + SECRET),
        png_chunk(b"eXIf", b"MM\x00*\x00\x00\x00\x08" + SECRET),
        png_chunk(b"prVt", SECRET),  # a private ancillary chunk Pillow does not read
    ],
    ids=["tEXt", "zTXt", "iTXt", "eXIf", "private"],
)
def test_it_drops_png_ancillary_chunks(chunk):
    """Failed before for the private chunk: the PNG was sent byte-identical."""
    data = with_png_chunk(flat("PNG"), chunk)

    for derivative in derivatives_of(data):
        assert derivative != data
        assert_clean(derivative)


def test_it_drops_a_gif_comment_and_application_extension():
    """Failed before: the GIF's comment went into the JPEG derivative."""
    data = flat("GIF", comment=SECRET)
    # An application extension (as XMP is carried in GIF) before the image.
    extension = b"\x21\xff\x0bXMP DataXMP" + bytes([len(SECRET)]) + SECRET + b"\x00"
    start = data.index(b"\x21\xfe")  # the comment extension, after the colour table
    data = data[:start] + extension + data[start:]
    assert Image.open(io.BytesIO(data)).size == (64, 48)

    for derivative in derivatives_of(data):
        assert_clean(derivative)


def test_it_drops_webp_exif_and_xmp():
    exif = Image.Exif()
    exif[0x010E] = SECRET.decode()  # ImageDescription
    data = flat("WEBP", exif=exif.tobytes(), xmp=b"<x:xmpmeta>" + SECRET + b"</x:xmpmeta>")
    assert SECRET in data

    for derivative in derivatives_of(data):
        assert_clean(derivative)


def test_it_keeps_the_icc_profile():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = flat("JPEG", size=(3000, 2000), icc_profile=profile, comment=SECRET)

    derivative = images.make_derivative(data, "low")[0]

    assert Image.open(io.BytesIO(derivative)).info["icc_profile"] == profile
    assert_clean(derivative)


@pytest.mark.parametrize("fmt", ["PNG", "WEBP"])
def test_it_still_sends_a_small_image_with_nothing_but_pixels_as_it_is(fmt):
    data = flat(fmt)

    assert images.make_derivative(data, "low")[:2] == (data, f"image/{fmt.lower()}")


@pytest.mark.parametrize(
    "data",
    [
        flat("PNG") + b"trailing",
        flat("JPEG") + b"trailing",
        flat("JPEG")[:-2],  # no end of image
        flat("WEBP") + b"trailing",
        flat("GIF"),
        b"",
    ],
)
def test_it_proves_nothing_clean_that_it_cannot_walk_to_the_end(data):
    assert not only_image_data(data)
