from django.http import Http404
from django.shortcuts import get_object_or_404

from chat import signals
from chat.models import Conversation, ImageAttachment


def get_conversation_for_user(request, code):
    """The user's own conversation, or 404 (also for one they deleted)."""
    return get_object_or_404(Conversation.objects.for_user(request.user), code=code)


def get_own_image(request, code):
    """The user's own image, or 404: for anything that makes something from it
    (a crop is a new image of theirs), which no permission grants on another's."""
    return get_object_or_404(ImageAttachment, code=code, owner=request.user)


def get_image_for_user(request, code, *, original=False, copy="high-detail copy"):
    """The image to look at: for its owner; for staff, the cleaned copies with
    the review permission and the original bytes only with their own permission,
    each staff read signalled (review logs it). `copy` names what is read.
    Read-only: never use it to make something from the image (get_own_image)."""
    image = get_object_or_404(ImageAttachment, code=code)
    if image.owner_id == request.user.id:
        return image
    user = request.user
    allowed = user.is_staff and (
        user.has_perm("chat.view_original_image")
        if original
        else user.has_perm("chat.review_conversation")
    )
    if not allowed:
        raise Http404()
    if original:
        signals.original_image_opened.send(sender=get_image_for_user, request=request, image=image)
    else:
        signals.image_copy_opened.send(
            sender=get_image_for_user, request=request, image=image, copy=copy
        )
    return image


def form_errors(form):
    """One sentence for the page from a form's errors, e.g. "Temperature: ..."."""
    sentences = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        label = label or name.replace("_", " ").capitalize()
        sentences += [f"{label}: {error}" for error in errors]
    return " ".join(sentences)


def form_error(form):
    """The first of a form's errors, for forms whose errors are whole sentences."""
    return next(iter(form.errors.values()))[0]
