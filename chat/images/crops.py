"""Region zoom: a box of an image, cut from its stored original.

At "high" detail the models see an image shrunk to 768 px on its short side,
so small print is lost. A crop is made from the original bytes (EXIF upright,
the same pixels the person saw in the preview), encoded losslessly as PNG,
stored like an upload, and sent at "high" detail as an image of its own: the
model gets the region at its own resolution.
"""

import io

from PIL import Image, ImageOps

from chat.images.derivatives import _has_alpha, read_image
from chat.images.intake import ImageRejected, check_image, store_image
from chat.images.metadata import save_clean
from chat.models.images import ImageAttachment

MIN_SIDE = 8


def check_box(attachment, left, top, width, height):
    """Raise ImageRejected unless the box lies inside the upright image."""
    if width < MIN_SIDE or height < MIN_SIDE:
        raise ImageRejected(f"Drag a larger region: at least {MIN_SIDE}×{MIN_SIDE} pixels.")
    if left < 0 or top < 0 or left + width > attachment.width or top + height > attachment.height:
        raise ImageRejected(
            f"The region must lie inside the image ({attachment.width}×{attachment.height})."
        )


def cut(data, box):
    """PNG bytes of `box` (left, top, width, height) of the upright first frame."""
    left, top, width, height = box
    with Image.open(io.BytesIO(data)) as image:
        image.seek(0)
        upright = ImageOps.exif_transpose(image)
        region = upright.convert("RGBA" if _has_alpha(upright) else "RGB")
        region = region.crop((left, top, left + width, top + height))
        out = io.BytesIO()
        save_clean(region, out, "PNG")
        return out.getvalue()


def crop(attachment, *, owner, left, top, width, height):
    """Store the region of `attachment` as a new, unsent image of `owner` that
    knows its source and box; returns it."""
    check_box(attachment, left, top, width, height)
    box = (left, top, width, height)
    name = f"{attachment.name or 'image'} ({width}×{height} region)"
    checked = check_image(cut(read_image(attachment), box), name=name)
    region = store_image(
        owner=owner, checked=checked, detail=ImageAttachment.Detail.HIGH, name=name
    )
    region.crop_of = attachment
    region.crop_box = list(box)
    region.save(update_fields=["crop_of", "crop_box"])
    return region
