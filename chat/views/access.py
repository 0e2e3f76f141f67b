from django.http import Http404
from django.shortcuts import get_object_or_404

from chat.models import Conversation, ImageAttachment


def get_conversation_for_user(request, code):
    """The user's own conversation, or 404 (also for one they deleted)."""
    return get_object_or_404(Conversation.objects.for_user(request.user), code=code)


def get_image_for_user(request, code):
    image = get_object_or_404(ImageAttachment, code=code)
    if image.owner_id != request.user.id and not request.user.is_staff:
        raise Http404()
    return image


def form_errors(form):
    """One sentence for the page from a form's errors, e.g. "Temperature: ..."."""
    sentences = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else None
        label = label or name.replace("_", " ").capitalize()
        sentences += [f"{label}: {error}" for error in errors]
    return " ".join(sentences)
