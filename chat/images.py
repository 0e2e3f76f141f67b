"""Image intake and what the model gets from it.

Intake: check by content, store the original once by hash, make a thumbnail.
Sending: a derivative per detail level (EXIF-upright, metadata-free, resized
the way the model would resize it anyway), encoded once and cached, and the
token estimate for it. Everything here works on bytes and the storage API;
nothing knows about requests or websockets.
"""

import base64
import hashlib
import io
import struct
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass

import pillow_heif
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from PIL import Image, ImageOps

from chat.models import Derivative, ImageAttachment

# iPhones save HEIC; the gateway does not take it, so it is converted here.
pillow_heif.register_heif_opener()

GATEWAY_FORMATS = ("PNG", "JPEG", "GIF", "WEBP")
ACCEPTED_FORMATS = (*GATEWAY_FORMATS, "HEIF")
ACCEPTED_NAMES = "PNG, JPEG, GIF, WebP or HEIC"
THUMBNAIL_SIZE = (320, 320)
JPEG_QUALITY = 85
# EXIF orientations that swap width and height when applied.
TRANSPOSED = (5, 6, 7, 8)
# Image.info keys that say nothing about who took the photo, where or with
# what: an original holding only these may be sent as it is.
HARMLESS_INFO = {
    "dpi", "gamma", "transparency", "jfif", "jfif_version", "jfif_unit", "jfif_density",
    "progressive", "progression", "interlace", "srgb", "aspect", "adobe", "adobe_transform",
    "chromaticity", "icc_profile", "background", "version", "loop", "duration",
}  # fmt: skip
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}


class ImageRejected(Exception):
    """An image we will not accept; `message` is a sentence for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CheckedImage:
    data: bytes
    format: str
    width: int  # upright, after the EXIF orientation
    height: int
    sha256: str
    frames: int = 1


def _megabytes(size):
    return f"{size / (1024 * 1024):.1f} MB"


def check_size(size, *, name):
    limit = settings.IMAGE_MAX_BYTES
    if size > limit:
        raise ImageRejected(
            f"“{name}” is {_megabytes(size)}; images must be at most {_megabytes(limit)}."
        )


def _orientation(image):
    try:
        return image.getexif().get(0x0112, 1)
    except (OSError, SyntaxError, ValueError, KeyError, TypeError, struct.error):
        return 1  # a broken EXIF block only loses the rotation


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
                # From the header, before a single pixel is decoded.
                _check_pixels(width, height, name=name)
                image.verify()
            frames, orientation = _decode_fully(data)
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


def _check_pixels(width, height, *, name):
    limit = settings.IMAGE_MAX_PIXELS
    if width * height > limit:
        raise ImageRejected(
            f"“{name}” is {width}×{height} pixels; images may have at most "
            f"{limit // 1_000_000} megapixels."
        )


# ---- Sizes and token estimates -------------------------------------------


def derivative_size(width, height, kind):
    """The size the model sees at `kind` ("low" or "high"); never larger than the image.

    low fits inside 512×512. high fits inside 2048×2048, then the shorter side
    is cut to 768 px: OpenAI's published preprocessing for detail "high", so
    what we send is what the model would have looked at anyway.

    >>> derivative_size(6000, 4000, "high")
    (1152, 768)
    """
    if kind == Derivative.Kind.LOW:
        scale = min(1, 512 / max(width, height))
    else:
        scale = min(1, 2048 / max(width, height))
        scale *= min(1, 768 / (min(width, height) * scale))
    return max(1, round(width * scale)), max(1, round(height * scale))


def resolve_detail(width, height, detail):
    """The derivative kind for a detail level.

    "auto" is decided here, by size, so the estimate shown is the one billed:
    an image that fits in 512×512 loses nothing at "low" (its pixels are sent
    whole either way), so it goes low for 85 tokens instead of 255; anything
    larger goes "high", since a user who attached a detailed photo usually
    asks about its details. The gateway is told the resolved level.
    """
    if detail in (Derivative.Kind.LOW, Derivative.Kind.HIGH):
        return detail
    return Derivative.Kind.LOW if max(width, height) <= 512 else Derivative.Kind.HIGH


def _ceil_div(a, b):
    return -(-a // b)


def estimate_tokens(model, width, height, detail):
    """Estimated input tokens for one image of this size sent at `detail`.

    gpt-4o (and any model we know no rule for): OpenAI's published formula,
    85 tokens at low; at high 85 + 170 per 512-px tile of the high-detail size.
    Gemini: Google's published rule for Gemini 2.x ("Understand and count
    tokens", ai.google.dev/gemini-api/docs/tokens): an image with both sides at
    most 384 px counts 258 tokens; a larger one is cropped and scaled into
    768×768 tiles of 258 tokens each. Applied to the derivative we send.
    The length of the base64 text never counts.
    """
    kind = resolve_detail(width, height, detail)
    w, h = derivative_size(width, height, kind)
    if model.startswith("gemini"):
        if w <= 384 and h <= 384:
            return 258
        return 258 * _ceil_div(w, 768) * _ceil_div(h, 768)
    if kind == Derivative.Kind.LOW:
        return 85
    return 85 + 170 * _ceil_div(w, 512) * _ceil_div(h, 512)


def estimates(width, height, models):
    """{model: {detail: tokens}} for the browser, which shows the one selected."""
    details = ImageAttachment.Detail.values
    return {m: {d: estimate_tokens(m, width, height, d) for d in details} for m in models}


# ---- Derivatives ----------------------------------------------------------


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


def _clean_original(image, orientation, target):
    """The original bytes if they can go as they are: a gateway format, one
    frame, upright, small enough, nothing in the metadata."""
    return (
        image.format in GATEWAY_FORMATS
        and getattr(image, "n_frames", 1) == 1
        and orientation == 1
        and image.size == target
        and set(image.info) <= HARMLESS_INFO
        and not getattr(image, "text", None)
    )


def encode_derivative(image):
    """Encode a resized, upright image: JPEG (quality 85), or PNG if it has
    transparency. Returns (bytes, mime). The one place derivatives are encoded."""
    out = io.BytesIO()
    if image.mode == "RGBA":
        image.save(out, "PNG")
        return out.getvalue(), "image/png"
    image.save(out, "JPEG", quality=JPEG_QUALITY)
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
        original_is_candidate = _clean_original(image, orientation, target)
        converted = image.convert("RGBA" if _has_alpha(image) else "RGB")
        converted = ImageOps.exif_transpose(converted) if orientation != 1 else converted
        if converted.mode == "RGBA" and converted.getchannel("A").getextrema()[0] == 255:
            converted = converted.convert("RGB")  # an alpha channel that hides nothing
        if converted.size != target:
            converted = converted.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
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
    data, mime, width, height = make_derivative(read_original(), kind)
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


class _DataUriCache:
    """Data URIs of derivatives, most recently used kept, bounded by characters.

    A 40-turn conversation resends the same images every turn: reading them
    from storage and base64-encoding them again each time would dominate the
    request build.
    """

    def __init__(self, max_chars):
        self.max_chars = max_chars
        self.chars = 0
        self.items = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key, make):
        with self.lock:
            if key in self.items:
                self.items.move_to_end(key)
                return self.items[key]
        value = make()
        with self.lock:
            if key not in self.items:
                self.items[key] = value
                self.chars += len(value)
            while self.chars > self.max_chars and len(self.items) > 1:
                _, dropped = self.items.popitem(last=False)
                self.chars -= len(dropped)
        return value

    def clear(self):
        with self.lock:
            self.items.clear()
            self.chars = 0


data_uris = _DataUriCache(max_chars=64 * 1024 * 1024)


def data_uri(derivative):
    def make():
        with derivative.file.open("rb") as f:
            encoded = base64.b64encode(f.read()).decode("ascii")
        return f"data:{derivative.mime};base64,{encoded}"

    return data_uris.get(derivative.sha256, make)


# ---- Storing an upload ------------------------------------------------------


def make_thumbnail(data):
    with Image.open(io.BytesIO(data)) as image:
        image.thumbnail(THUMBNAIL_SIZE)
        image = image.convert("RGBA" if _has_alpha(image) else "RGB")
        out = io.BytesIO()
        image.save(out, "WEBP", quality=80)
        return out.getvalue()


def store_image(*, owner, checked, detail=ImageAttachment.Detail.AUTO, source_url="", name=""):
    """Store a checked image for `owner` and return its ImageAttachment.

    The original is content-addressed: the same bytes uploaded twice are stored
    once. The low derivative is made now, since the thumbnail comes from it
    (upright, no metadata); the high one on first use.
    """
    digest = checked.sha256
    extension = "heic" if checked.format == "HEIF" else checked.format.lower()
    file_name = _store_once(f"images/{digest[:2]}/{digest}.{extension}", checked.data)
    low = get_derivative(digest, Derivative.Kind.LOW, read_original=lambda: checked.data)
    thumbnail_name = f"thumbnails/{digest[:2]}/{digest}.webp"
    if not default_storage.exists(thumbnail_name):
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


def read_image(attachment):
    with attachment.file.open("rb") as f:
        return f.read()
