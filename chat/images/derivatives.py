"""What the model gets for an image: a derivative per detail level
(EXIF-upright, with no metadata but its ICC profile (metadata.py), resized
the way the model would resize it anyway), encoded once, stored by content
and cached as a data URI."""

import base64
import hashlib
import io
import struct
import threading

import cachetools
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from PIL import Image

from chat.images.metadata import only_image_data, save_clean
from chat.images.tokens import derivative_size, resolve_detail
from chat.models.images import Derivative

GATEWAY_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
JPEG_QUALITY = 85
# EXIF orientations that swap width and height when applied.
TRANSPOSED = (5, 6, 7, 8)
# What turns a stored image upright, by its EXIF orientation (as ImageOps.exif_transpose).
UPRIGHT = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE, 8: Image.Transpose.ROTATE_90,
}  # fmt: skip
REDUCING_GAP = 3.0
STRIP_ROWS = 512  # of a large image shrunk a strip at a time
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}


def _orientation(image):
    try:
        return image.getexif().get(0x0112, 1)
    except (OSError, SyntaxError, ValueError, KeyError, TypeError, struct.error):
        return 1  # a broken EXIF block only loses the rotation


def read_image(attachment):
    with attachment.file.open("rb") as f:
        return f.read()


def _open_upright(data, size_hint):
    """Open the first frame, decoding a JPEG at the smallest scale that still
    covers `size_hint` (the upright target size)."""
    image = Image.open(io.BytesIO(data))
    orientation = _orientation(image)
    if image.format == "JPEG":
        w, h = size_hint if orientation not in TRANSPOSED else size_hint[::-1]
        image.draft("RGB", (w, h))
    image.seek(0)  # animated GIF/WebP: the gateway's models read one frame
    return image, orientation


def _has_alpha(image):
    return image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info


def _clean_original(data, image, orientation, target):
    """The original bytes if they can go as they are: a gateway format, one
    frame, upright, small enough, and proven to hold nothing but pixels and
    their colour profile (metadata.only_image_data: PNG and JPEG only)."""
    return (
        image.format in GATEWAY_FORMATS
        and getattr(image, "n_frames", 1) == 1
        and orientation == 1
        and image.size == target
        and only_image_data(data)
    )


def _reduce_in_strips(image, target):
    """`image` shrunk by the integer factors that leave it at least 3 times
    `target` on each side, as resize(reducing_gap=3) does, a strip at a time:
    Pillow's own reduce and resize of RGBA first copy the whole image
    premultiplied, 200 MB more for 50 megapixels (issue 17)."""
    factor_x = max(1, int(image.width / target[0] / REDUCING_GAP))
    factor_y = max(1, int(image.height / target[1] / REDUCING_GAP))
    if factor_x == factor_y == 1:
        return image
    rows = factor_y * max(1, STRIP_ROWS // factor_y)
    reduced = Image.new(image.mode, (-(-image.width // factor_x), -(-image.height // factor_y)))
    for top in range(0, image.height, rows):
        strip = image.crop((0, top, image.width, min(image.height, top + rows)))
        reduced.paste(strip.reduce((factor_x, factor_y)), (0, top // factor_y))
    return reduced


def encode_derivative(image):
    """Encode a resized, upright image: JPEG (quality 85), or PNG if it has
    transparency, with no metadata but the ICC profile (metadata.save_clean).
    Returns (bytes, mime). The one place derivatives are encoded."""
    out = io.BytesIO()
    if image.mode == "RGBA":
        save_clean(image, out, "PNG")
        return out.getvalue(), "image/png"
    save_clean(image, out, "JPEG", quality=JPEG_QUALITY)
    return out.getvalue(), "image/jpeg"


def make_derivative(data, kind):
    """Return (bytes, mime, width, height) of what the model gets at `kind`."""
    with Image.open(io.BytesIO(data)) as probe:
        w, h = probe.size
        if _orientation(probe) in TRANSPOSED:
            w, h = h, w
    target = derivative_size(w, h, kind)
    image, orientation = _open_upright(data, target)
    with image:
        original_is_candidate = _clean_original(data, image, orientation, target)
        mode = "RGBA" if _has_alpha(image) else "RGB"
        # convert() copies even to the same mode: a second 200 MB for 50 megapixels.
        converted = image if image.mode == mode else image.convert(mode)
        # Shrunk before it is turned upright, so that no full-size copy is made.
        converted = _reduce_in_strips(
            converted, target[::-1] if orientation in TRANSPOSED else target
        )
        if orientation in UPRIGHT:
            converted = converted.transpose(UPRIGHT[orientation])
        if converted.mode == "RGBA" and converted.getchannel("A").getextrema()[0] == 255:
            converted = converted.convert("RGB")  # an alpha channel that hides nothing
        if converted.size != target:
            converted = converted.resize(target, Image.Resampling.LANCZOS)
        encoded, mime = encode_derivative(converted)
        if original_is_candidate and len(data) <= len(encoded):
            return data, Image.MIME[image.format], *target
        return encoded, mime, *target


def _store_once(name, data):
    """Save bytes under a content-derived name unless they are already stored."""
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(data))
    return name


def get_derivative(source, kind, *, read_original):
    """The Derivative of the original with hash `source` at `kind`, made on first use.

    `read_original` is called only when the derivative must be made.
    """
    found = Derivative.objects.filter(source=source, kind=kind).first()
    if found:
        return found
    return save_derivative(source, kind, make_derivative(read_original(), kind))


def save_derivative(source, kind, made):
    """Store what make_derivative made, once, and return its Derivative."""
    data, mime, width, height = made
    name = _store_once(f"derivatives/{source[:2]}/{source}-{kind}.{EXTENSIONS[mime]}", data)
    try:
        with transaction.atomic():
            return Derivative.objects.create(
                source=source,
                kind=kind,
                file=name,
                sha256=hashlib.sha256(data).hexdigest(),
                mime=mime,
                width=width,
                height=height,
                size=len(data),
            )
    except IntegrityError:  # another process made it meanwhile
        return Derivative.objects.get(source=source, kind=kind)


def derivative_for(attachment, kind=None):
    kind = kind or resolve_detail(attachment.width, attachment.height, attachment.detail)
    return get_derivative(attachment.sha256, kind, read_original=lambda: read_image(attachment))


# Data URIs of derivatives, most recently used kept, bounded by characters. A
# 40-turn conversation resends the same images every turn: reading them from
# storage and base64-encoding them again each time would dominate the request
# build. Made outside the lock; one larger than the whole budget is not kept.
data_uris = cachetools.LRUCache(maxsize=64 * 1024 * 1024, getsizeof=len)


@cachetools.cached(data_uris, key=lambda derivative: derivative.sha256, lock=threading.Lock())
def data_uri(derivative):
    with derivative.file.open("rb") as f:
        encoded = base64.b64encode(f.read()).decode("ascii")
    return f"data:{derivative.mime};base64,{encoded}"
