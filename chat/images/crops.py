"""Region zoom: a box of an image, cut from its stored original.

At "high" detail the models see an image shrunk to 768 px on its short side,
so small print is lost. A crop is made from the original bytes (EXIF upright,
the same pixels the person saw in the preview), encoded losslessly as PNG,
stored like an upload, and sent at "high" detail as an image of its own: the
model gets the region at its own resolution.
"""

import io

from django.utils.translation import gettext
from PIL import Image, ImageOps

from chat.images import workers
from chat.images.derivatives import _has_alpha, _orientation, read_image
from chat.images.intake import ImageRejected, prepare, store_image
from chat.images.metadata import save_clean
from chat.models.images import ImageAttachment

MIN_SIDE = 8


def check_box(attachment, left, top, width, height):
    """Raise ImageRejected unless the box lies inside the upright image."""
    if width < MIN_SIDE or height < MIN_SIDE:
        raise ImageRejected(
            gettext("Drag a larger region: at least %(side)s×%(side)s pixels.") % {"side": MIN_SIDE}
        )
    if left < 0 or top < 0 or left + width > attachment.width or top + height > attachment.height:
        raise ImageRejected(
            gettext("The region must lie inside the image (%(width)s×%(height)s).")
            % {"width": attachment.width, "height": attachment.height}
        )


def cut(data, box):
    """PNG bytes of `box` (left, top, width, height) of the upright first frame."""
    left, top, width, height = box
    with Image.open(io.BytesIO(data)) as image:
        image.seek(0)
        # Cut first, then convert: at most two full-size copies (the decoded
        # image and the region), not four.
        upright = ImageOps.exif_transpose(image) if _orientation(image) != 1 else image
        region = upright.crop((left, top, left + width, top + height))
        mode = "RGBA" if _has_alpha(upright) else "RGB"
        region = region if region.mode == mode else region.convert(mode)
        out = io.BytesIO()
        save_clean(region, out, "PNG")
        return out.getvalue()


def _name(attachment, box):
    return f"{attachment.name or 'image'} ({box[2]}×{box[3]} region)"


def _cut_and_prepare(data, box, name):
    return prepare(cut(data, box), name=name)


def cut_region(attachment, box):
    """The region `box` (left, top, width, height) of `attachment`, checked and
    prepared as an upload is (a Prepared), cut in the bounded workers. Raises
    ImageRejected or workers.Busy.

    A crop is an upload without the upload: the view takes it from the same
    per-user limits between this and store_region."""
    check_box(attachment, *box)
    return workers.call(
        read_image(attachment), _cut_and_prepare, box, _name(attachment, box), copies=2
    )


def store_region(attachment, box, *, owner, prepared):
    """Store a prepared region as a new, unsent image of `owner` that knows its
    source and box, sent at high detail; returns it."""
    region = store_image(
        owner=owner, prepared=prepared, detail=ImageAttachment.Detail.HIGH,
        name=_name(attachment, box),
    )  # fmt: skip
    region.crop_of = attachment
    region.crop_box = list(box)
    region.save(update_fields=["crop_of", "crop_box"])
    return region


def crop(attachment, *, owner, left, top, width, height):
    """cut_region then store_region, no limit taken: for scripts and tests."""
    box = (left, top, width, height)
    return store_region(attachment, box, owner=owner, prepared=cut_region(attachment, box))
