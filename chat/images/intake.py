"""Taking an image in: check it by content, store the original once by hash,
make a thumbnail. Works on bytes and the storage API; knows nothing of
requests or websockets."""

import base64
import binascii
import hashlib
import io
import struct
import warnings
from dataclasses import dataclass

import pillow_heif
from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.translation import gettext
from PIL import Image

from chat.images.derivatives import (
    GATEWAY_FORMATS,
    TRANSPOSED,
    _has_alpha,
    _orientation,
    _store_once,
    get_derivative,
    make_derivative,
    save_derivative,
)
from chat.images.metadata import save_clean
from chat.models.images import Derivative, ImageAttachment

# iPhones save HEIC; the gateway does not take it, so it is converted here.
pillow_heif.register_heif_opener()

ACCEPTED_FORMATS = (*GATEWAY_FORMATS, "HEIF")
THUMBNAIL_SIZE = (320, 320)


class ImageRejected(Exception):
    """An image we will not accept; `message` is a sentence for the user, `reason`
    a word for the metrics."""

    def __init__(self, message, *, reason="not_accepted"):
        super().__init__(message)
        self.message = message
        self.reason = reason


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    format: str
    width: int  # upright, after the EXIF orientation
    height: int
    sha256: str
    frames: int = 1


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f}"


def check_size(size, *, name):
    limit = settings.IMAGE_MAX_BYTES
    if size > limit:
        raise ImageRejected(
            gettext("“%(name)s” is %(size)s MB; images must be at most %(limit)s MB.")
            % {"name": name, "size": _megabytes(size), "limit": _megabytes(limit)},
            reason="too_large",
        )


def check_image(data, *, name=None):
    """Return a CheckedImage, or raise ImageRejected saying what is wrong.

    The bytes decide, never the file name or the browser's MIME type:

    >>> check_image(png_bytes, name="cat.png").format
    'PNG'
    >>> check_image(b"<html>", name="cat.png")
    ImageRejected: “cat.png” is not an image ...
    """
    name = name or gettext("image")
    check_size(len(data), name=name)
    try:
        with warnings.catch_warnings():
            # Above MAX_IMAGE_PIXELS Pillow only warns; our own limit below decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format, (width, height) = image.format, image.size
                if image_format not in ACCEPTED_FORMATS:
                    raise ImageRejected(
                        gettext(
                            "“%(name)s” is a %(format)s image; the models accept PNG, JPEG, "
                            "GIF, WebP or HEIC."
                        )
                        % {"name": name, "format": image_format},
                        reason="format",
                    )
                # From the header, before a single pixel is decoded.
                _check_pixels(width, height, name=name)
                image.verify()
            frames, orientation = _decode_fully(data)
    except Image.DecompressionBombError:
        raise ImageRejected(
            gettext(
                "“%(name)s” has too many pixels to process safely; the limit is "
                "%(limit)s megapixels."
            )
            % {"name": name, "limit": settings.IMAGE_MAX_PIXELS // 1_000_000},
            reason="too_many_pixels",
        ) from None
    except Image.UnidentifiedImageError:
        raise ImageRejected(
            gettext(
                "“%(name)s” is not an image we can read. Upload a PNG, JPEG, GIF, WebP or "
                "HEIC file."
            )
            % {"name": name},
            reason="not_an_image",
        ) from None
    # Pillow's parsers raise these too on GIFs cut inside their frames (n_frames),
    # as tests/images/test_fuzz_upload.py found.
    except (OSError, SyntaxError, ValueError, IndexError, EOFError, struct.error) as error:
        raise ImageRejected(_damaged(name, error), reason="damaged") from None
    if orientation in TRANSPOSED:
        width, height = height, width
    return CheckedImage(
        data=data,
        format=image_format,
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
        frames=frames,
    )


def _decode_fully(data):
    """Decode every byte of the (first) frame: this is what catches truncation,
    which verify() lets through (it stops at the last chunk header).
    Returns (frames, EXIF orientation)."""
    with Image.open(io.BytesIO(data)) as image:
        frames, orientation = getattr(image, "n_frames", 1), _orientation(image)
        image.seek(0)
        if image.format == "JPEG":
            # An 1/8-scale decode still reads the whole entropy-coded stream,
            # at a sixtieth of the memory and a fraction of the time.
            image.draft("RGB", (image.width // 8, image.height // 8))
        image.load()
    return frames, orientation


def _damaged(name, error):
    return gettext("“%(name)s” is damaged or incomplete and cannot be read (%(error)s).") % {
        "name": name, "error": error}  # fmt: skip


def _check_pixels(width, height, *, name):
    limit = settings.IMAGE_MAX_PIXELS
    if width * height > limit:
        raise ImageRejected(
            gettext(
                "“%(name)s” is %(width)s×%(height)s pixels; images may have at most "
                "%(limit)s megapixels."
            )
            % {"name": name, "width": width, "height": height, "limit": limit // 1_000_000},
            reason="too_many_pixels",
        )


def make_thumbnail(data):
    with Image.open(io.BytesIO(data)) as image:
        image.thumbnail(THUMBNAIL_SIZE)
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
        out = io.BytesIO()
        save_clean(image, out, "WEBP", quality=80)
        return out.getvalue()


@dataclass(frozen=True)
class Prepared:
    """What intake decodes, made ahead of storing: see prepare."""

    checked: CheckedImage
    low: tuple  # what make_derivative made at "low"
    thumbnail: bytes


def prepare(data, *, name=None):
    """Every part of taking an image in that decodes pixels, bytes in and bytes
    out (no storage, no database): the check, the low derivative and the
    thumbnail made from it. What chat/images/workers.py runs for each image."""
    name = name or gettext("image")
    checked = check_image(data, name=name)
    try:
        low = make_derivative(data, Derivative.Kind.LOW)
        thumbnail = make_thumbnail(low[0])
    except (OSError, SyntaxError, ValueError, IndexError, EOFError, struct.error) as error:
        # A file the check let through that Pillow still chokes on (a GIF cut
        # inside its frame count, found by tests/images/test_fuzz_upload.py).
        raise ImageRejected(_damaged(name, error), reason="damaged") from None
    return Prepared(checked, low, thumbnail)


def store_image(
    *, owner, checked=None, prepared=None, detail=ImageAttachment.Detail.AUTO, source_url="",
    name="",
):  # fmt: skip
    """Store a checked image for `owner` and return its ImageAttachment.

    The original is content-addressed: the same bytes uploaded twice are stored
    once. The low derivative is stored now, since the thumbnail comes from it
    (upright, no metadata); the high one on first use. Given `prepared` (made
    in the workers), nothing is decoded here; given only `checked`, they are
    made here.
    """
    if prepared is not None:
        checked = prepared.checked
    digest = checked.sha256
    extension = "heic" if checked.format == "HEIF" else checked.format.lower()
    file_name = _store_once(f"images/{digest[:2]}/{digest}.{extension}", checked.data)
    if prepared is None:
        low = get_derivative(digest, Derivative.Kind.LOW, read_original=lambda: checked.data)
    else:
        low = Derivative.objects.filter(source=digest, kind=Derivative.Kind.LOW).first()
        low = low or save_derivative(digest, Derivative.Kind.LOW, prepared.low)
    thumbnail_name = f"thumbnails/{digest[:2]}/{digest}.webp"
    if not default_storage.exists(thumbnail_name):
        if prepared is not None:
            thumbnail_name = _store_once(thumbnail_name, prepared.thumbnail)
        else:
            with low.file.open("rb") as f:
                thumbnail_name = _store_once(thumbnail_name, make_thumbnail(f.read()))
    return ImageAttachment.objects.create(
        owner=owner,
        file=file_name,
        name=name[:255],
        frames=checked.frames,
        thumbnail=thumbnail_name,
        sha256=digest,
        format=checked.format,
        width=checked.width,
        height=checked.height,
        size=len(checked.data),
        detail=detail,
        source_url=source_url,
    )


def generated_image_bytes(data_uri):
    """The bytes of an image a model generated, from its data URI; raises
    ImageRejected when it is not a base64 image."""
    header, _, encoded = data_uri.partition(",")
    if not (header.startswith("data:image/") and header.endswith(";base64")):
        raise ImageRejected(gettext("The image is not a base64 data URI."))
    try:
        return base64.b64decode(encoded, validate=True)
    except binascii.Error:
        raise ImageRejected(gettext("The image's base64 is damaged.")) from None


def store_generated_image(*, conversation, message_id, prepared=None, data_uri=None):
    """Store an image the model generated (`prepared` from its bytes by the
    workers, so its size and pixels are checked as an upload's are; or made
    here from `data_uri`) as an image of its answer."""
    if prepared is None:
        prepared = prepare(generated_image_bytes(data_uri), name=gettext("generated image"))
    attachment = store_image(owner=conversation.owner, prepared=prepared)
    attachment.message_id = message_id
    attachment.save(update_fields=["message"])
    return attachment
