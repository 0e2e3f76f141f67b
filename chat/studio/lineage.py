"""An image's lineage: the images it was made from, and the ones made from it.

Links are ImageSource rows (chat/models/lineage.py): an answer's generated
image links to the images of the turn that asked for it (or, for a follow-up
without an attachment, to the previous answer's generated images, which were
sent back as context); "Edit this image" links its copy to the original; a
marked-up copy links to the image it was drawn on. A reused copy has the same
bytes as its source, so the strip shows one of them.
"""

from chat.models import ImageAttachment, ImageSource, Message

MAX_STEPS = 50  # a strip longer than this is cut: nobody clicks through more


def reuse(image, *, owner):
    """A copy of `image` for `owner`'s composer (no upload: the same stored
    files), linked to it; sent with the next message like a fresh upload."""
    copy = image.copy()
    copy.owner = owner
    copy.message = None
    copy.position = 0
    copy.save()
    ImageSource.objects.create(image=copy, source=image, kind=ImageSource.Kind.REUSED)
    return copy


def record_generated(image):
    """Link an answer's generated `image` to what it was made from."""
    answer = image.message
    question = Message.objects.get(pk=answer.parent_id)
    sources = list(question.images.all())
    if not sources and question.parent_id:
        earlier = Message.objects.filter(pk=question.parent_id, role=Message.Role.ASSISTANT)
        sources = list(ImageAttachment.objects.filter(message__in=earlier))
    ImageSource.objects.bulk_create(
        ImageSource(image=image, source=source, kind=ImageSource.Kind.GENERATED)
        for source in sources
    )


def _first_source(image):
    link = image.sources.select_related("source").order_by("id").first()
    return (link.source, link.kind) if link else (None, None)


def ancestors(image):
    """[(image, kind)] from the oldest ancestor down to `image` (kind: how each
    was made from the one before it; None for the first)."""
    chain, seen, current = [], {image.pk}, image  # newest first, reversed at the end
    while len(chain) < MAX_STEPS:
        source, kind = _first_source(current)
        if source is None or source.pk in seen:
            chain.append((current, None))
            break
        chain.append((current, kind))
        seen.add(source.pk)
        current = source
    chain.reverse()
    return chain


def descendants(image):
    """[(image, kind)] made from `image`, following the newest each time."""
    chain, seen, current = [], {image.pk}, image
    while len(chain) < MAX_STEPS:
        link = current.derived.select_related("image").order_by("-id").first()
        if link is None or link.image.pk in seen:
            break
        seen.add(link.image.pk)
        chain.append((link.image, link.kind))
        current = link.image
    return chain


def strip(image):
    """The lineage strip: [(image, kind)] oldest first, `image` among them, with
    reused copies folded into the picture they copy."""
    shown = []
    for step, kind in [*ancestors(image), *descendants(image)]:
        if shown and step.sha256 == shown[-1][0].sha256:
            if step == image:
                shown[-1] = (step, shown[-1][1])  # the one opened stands for both
            continue
        shown.append((step, kind))
    return shown
