"""Image intake: check by content, store once by hash, make a thumbnail.

Everything here works on bytes and the storage API; nothing knows about
requests or websockets.
"""

import hashlib
import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

from chat.models import ImageAttachment

ACCEPTED_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
ACCEPTED_NAMES = "PNG, JPEG, GIF or WebP"
THUMBNAIL_SIZE = (320, 320)


class ImageRejected(Exception):
    """An image we will not accept; `message` is a sentence for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    format: str
    width: int
    height: int
    sha256: str


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB"


def check_size(size, *, name):
    limit = settings.IMAGE_MAX_BYTES
    if size > limit:
        raise ImageRejected(
            f"“{name}” is {_megabytes(size)}; images must be at most {_megabytes(limit)}."
        )


def check_image(data, *, name="image"):
    """Return a CheckedImage, or raise ImageRejected saying what is wrong.

    The bytes decide, never the file name or the browser's MIME type:

    >>> check_image(png_bytes, name="cat.png").format
    'PNG'
    >>> check_image(b"<html>", name="cat.png")
    ImageRejected: “cat.png” is not an image ...
    """
    check_size(len(data), name=name)
    try:
        with warnings.catch_warnings():
            # Above MAX_IMAGE_PIXELS Pillow only warns; our own limit below decides.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                image_format, (width, height) = image.format, image.size
                if image_format not in ACCEPTED_FORMATS:
                    raise ImageRejected(
                        f"“{name}” is a {image_format} image; the models accept {ACCEPTED_NAMES}."
                    )
                _check_pixels(width, height, name=name)
                image.verify()
            # verify() leaves the image unusable; decoding fully catches truncation
            # that verify() alone lets through (it stops at the last chunk header).
            with Image.open(io.BytesIO(data)) as image:
                image.load()
    except Image.DecompressionBombError:
        raise ImageRejected(
            f"“{name}” has too many pixels to process safely; the limit is "
            f"{settings.IMAGE_MAX_PIXELS // 1_000_000} megapixels."
        ) from None
    except Image.UnidentifiedImageError:
        raise ImageRejected(
            f"“{name}” is not an image we can read. Upload a {ACCEPTED_NAMES} file."
        ) from None
    except (OSError, SyntaxError, ValueError) as error:
        raise ImageRejected(
            f"“{name}” is damaged or incomplete and cannot be read ({error})."
        ) from None
    return CheckedImage(
        data=data,
        format=image_format,
        width=width,
        height=height,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _check_pixels(width, height, *, name):
    limit = settings.IMAGE_MAX_PIXELS
    if width * height > limit:
        raise ImageRejected(
            f"“{name}” is {width}×{height} pixels; images may have at most "
            f"{limit // 1_000_000} megapixels."
        )


def _store_once(name, data):
    """Save bytes under a content-derived name unless they are already stored."""
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    return name


def make_thumbnail(data):
    with Image.open(io.BytesIO(data)) as image:
        image = ImageOps.exif_transpose(image)
        image.thumbnail(THUMBNAIL_SIZE)
        if image.mode not in ("RGB", "RGBA"):
            image = image.convert("RGBA" if "transparency" in image.info else "RGB")
        out = io.BytesIO()
        image.save(out, "WEBP", quality=80)
        return out.getvalue()


def store_image(*, owner, checked, detail=ImageAttachment.Detail.AUTO, source_url=""):
    """Store a checked image for `owner` and return its ImageAttachment.

    The file is content-addressed: the same bytes uploaded twice are stored once.
    """
    digest = checked.sha256
    extension = checked.format.lower()
    file_name = _store_once(f"images/{digest[:2]}/{digest}.{extension}", checked.data)
    thumbnail_name = f"thumbnails/{digest[:2]}/{digest}.webp"
    if not default_storage.exists(thumbnail_name):
        thumbnail_name = _store_once(thumbnail_name, make_thumbnail(checked.data))
    return ImageAttachment.objects.create(
        owner=owner,
        file=file_name,
        thumbnail=thumbnail_name,
        sha256=digest,
        format=checked.format,
        width=checked.width,
        height=checked.height,
        size=len(checked.data),
        detail=detail,
        source_url=source_url,
    )


def read_image(attachment):
    with attachment.file.open("rb") as f:
        return f.read()
