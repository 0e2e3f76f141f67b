"""The "Your images" page's query: every image a person sent or had
generated, newest first, a page at a time, filtered by where it came from."""

from django.utils.translation import gettext_lazy as _

from chat.models import ImageAttachment, ImageSource, Message

PAGE_SIZE = 60
KINDS = {
    "": _("All"),
    "uploaded": _("Uploaded"),
    "generated": _("Generated"),
    "markup": _("Marked up"),
}


def images_of(user, kind=""):
    """The person's images that belong to a message of a conversation they still
    have: not the copies "Edit this image" attached (the same picture again)."""
    found = (
        ImageAttachment.objects.filter(
            owner=user, message__isnull=False, message__conversation__deleted=None
        )
        .exclude(sources__kind=ImageSource.Kind.REUSED)
        .select_related("message__conversation")
        .prefetch_related("sources")
        .order_by("-id")
    )
    if kind == "generated":
        found = found.filter(message__role=Message.Role.ASSISTANT)
    elif kind == "markup":
        found = found.filter(sources__kind=ImageSource.Kind.MARKUP)
    elif kind == "uploaded":
        found = found.filter(message__role=Message.Role.USER).exclude(
            sources__kind=ImageSource.Kind.MARKUP
        )
    return found


def page(user, kind="", before=None):
    """(images, more): up to PAGE_SIZE images older than the id `before`."""
    found = images_of(user, kind)
    if before is not None:
        found = found.filter(id__lt=before)
    images = list(found[: PAGE_SIZE + 1])
    return images[:PAGE_SIZE], len(images) > PAGE_SIZE


def kind_of(image):
    if image.message.role == Message.Role.ASSISTANT:
        return "generated"
    if any(s.kind == ImageSource.Kind.MARKUP for s in image.sources.all()):
        return "markup"
    return "uploaded"
