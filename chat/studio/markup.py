"""A marked-up copy: the person's drawing on one of their images, stored as a
new image that knows its source (as a region crop does), with what was drawn,
which the request tells the model in a sentence."""

from django.db import transaction
from django.utils.translation import gettext as _

from chat import images
from chat.models import ImageSource

SHAPES = {"arrow": "an arrow", "rectangle": "a rectangle", "ellipse": "an ellipse",
          "freehand": "a freehand line", "text": "a label"}  # fmt: skip
COLOURS = ("red", "yellow", "green", "blue", "black")
MAX_MARKS = 200
MAX_LABEL = 200
# The drawing is made on the image's display copy (the viewer's, at most 2048 px):
# a larger one did not come from the page.
MAX_SIDE = 2048


class MarksRefused(Exception):
    def __init__(self, message):
        super().__init__(message)
        self.message = message


def check_marks(marks):
    """The marks as stored: [{"shape", "colour", "text"?}], or MarksRefused."""
    if not isinstance(marks, list) or not marks:
        raise MarksRefused(_("Draw at least one mark."))
    if len(marks) > MAX_MARKS:
        raise MarksRefused(_("An image can carry at most %(count)d marks.") % {"count": MAX_MARKS})
    checked = []
    for mark in marks:
        if not isinstance(mark, dict) or mark.get("shape") not in SHAPES:
            raise MarksRefused(_("A mark must be an arrow, rectangle, ellipse, line or label."))
        if mark.get("colour") not in COLOURS:
            raise MarksRefused(_("A mark's colour must be red, yellow, green, blue or black."))
        kept = {"shape": mark["shape"], "colour": mark["colour"]}
        if mark["shape"] == "text":
            text = mark.get("text")
            if not isinstance(text, str) or not text.strip() or len(text) > MAX_LABEL:
                raise MarksRefused(
                    _("A label holds 1 to %(count)d characters.") % {"count": MAX_LABEL}
                )
            kept["text"] = text.strip()
        checked.append(kept)
    return checked


def store_markup(source, *, owner, data, marks, name):
    """Check the drawn image like an upload and store it as `owner`'s, linked
    to `source` with its marks. Raises images.ImageRejected or MarksRefused."""
    marks = check_marks(marks)
    checked = images.check_image(data, name=name)
    if max(checked.width, checked.height) > MAX_SIDE:
        raise MarksRefused(
            _(
                "A marked copy can be at most %(side)d px on its long side; "
                "this one is %(width)d×%(height)d."
            )
            % {"side": MAX_SIDE, "width": checked.width, "height": checked.height}
        )
    with transaction.atomic():
        marked = images.store_image(owner=owner, checked=checked, detail=source.detail, name=name)
        ImageSource.objects.create(
            image=marked, source=source, kind=ImageSource.Kind.MARKUP, marks=marks
        )
    return marked


def _join(words):
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def describe(marks, position):
    """What the request says of image `position`'s marks: "The red and blue
    marks on image 2 (an arrow, a rectangle and the label “door”) were drawn by
    the user to point at what they mean.\""""
    colours = _join(list(dict.fromkeys(mark["colour"] for mark in marks)))
    shapes = _join(
        [f"the label “{m['text']}”" if m["shape"] == "text" else SHAPES[m["shape"]] for m in marks]
    )
    return (
        f"The {colours} marks on image {position} ({shapes}) were drawn by the user "
        "to point at what they mean; they are not part of the original picture."
    )


def notes(attachments):
    """Text parts for a message's marked-up images, by their place in it."""
    if not attachments:  # most messages: no query to build
        return []
    by_image = {
        link.image_id: link.marks
        for link in ImageSource.objects.filter(
            image__in=[a.pk for a in attachments], kind=ImageSource.Kind.MARKUP
        )
    }
    return [
        {"type": "text", "text": describe(by_image[a.pk], position)}
        for position, a in enumerate(attachments, 1)
        if by_image.get(a.pk)
    ]
