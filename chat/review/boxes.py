"""Boxes on images: drawn by a reviewer round the part of an image an answer
got wrong (or right), with a tag and a note; kept in the original's pixels,
whatever copy was on screen, and edited or deleted by their author only.

The page sends what the reviewer drew already turned into the original's
pixels (static/review/boxes.js scales by the original's width and height);
here a box is clipped to the image, so a box past an edge keeps what is on it.
"""

from django.db import transaction
from django.utils.timezone import now
from django.utils.translation import gettext as _

from chat.review.models import Activity, ImageBox


class BoxRefused(Exception):
    """Why a box was not kept, as a sentence for the reviewer."""


def clipped(image, x, y, width, height):
    """(x, y, width, height) inside the image, or BoxRefused if nothing is left."""
    left, top = max(0, x), max(0, y)
    right, bottom = min(image.width, x + width), min(image.height, y + height)
    if right - left < 1 or bottom - top < 1:
        raise BoxRefused(
            _("The box is outside the image (%(width)s×%(height)s px): draw it on the picture.")
            % {"width": image.width, "height": image.height}
        )
    return left, top, right - left, bottom - top


def _log(box, actor, action):
    Activity.objects.create(
        conversation_id=box.image.message.conversation_id, message=box.image.message,
        # No note here: the history is shown to reviewers who have not decided yet.
        actor=actor, action=action, value=f"image {box.image.code}",
    )  # fmt: skip


def draw(image, author, *, x, y, width, height, tag=None, note="", verdict=ImageBox.Verdict.WRONG):
    x, y, width, height = clipped(image, x, y, width, height)
    with transaction.atomic():
        box = ImageBox.objects.create(
            image=image, author=author, x=x, y=y, width=width, height=height, tag=tag,
            note=note, verdict=verdict,
        )  # fmt: skip
        _log(box, author, "box drawn")
    return box


def change(box, author, *, x, y, width, height, tag=None, note="", verdict=ImageBox.Verdict.WRONG):
    if box.author_id != author.pk:
        raise BoxRefused(_("Only the reviewer who drew a box can change it."))
    box.x, box.y, box.width, box.height = clipped(box.image, x, y, width, height)
    box.tag, box.note, box.verdict, box.updated = tag, note, verdict, now()
    with transaction.atomic():
        box.save()
        _log(box, author, "box changed")
    return box


def delete(box, author):
    if box.author_id != author.pk:
        raise BoxRefused(_("Only the reviewer who drew a box can delete it."))
    with transaction.atomic():
        _log(box, author, "box deleted")
        box.delete()


def shown(boxes, user, sees_others):
    """Mine and, once this reviewer has decided (blind reviews), the others'."""
    return [b for b in boxes if sees_others or b.author_id == user.pk]


def as_percent(box, image):
    """Where the box sits on any copy of the image, as CSS percentages
    (strings, so no locale's decimal comma reaches the style)."""
    return {
        "left": f"{box.x * 100 / image.width:.4f}%", "top": f"{box.y * 100 / image.height:.4f}%",
        "width": f"{box.width * 100 / image.width:.4f}%",
        "height": f"{box.height * 100 / image.height:.4f}%",
    }  # fmt: skip
