from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from chat import images, models_available
from chat.models import Conversation, ImageAttachment
from chat.transcript import image_payload, message_payload

LAST_CONVERSATION = "last_conversation"


def _get_conversation_for_user(request, code):
    return get_object_or_404(Conversation.objects.for_user(request.user), code=code)


def _get_image_for_user(request, code):
    image = get_object_or_404(ImageAttachment, code=code)
    if image.owner_id != request.user.id and not request.user.is_staff:
        raise Http404()
    return image


@login_required
@require_GET
def home(request):
    """Open the conversation the user had open last, or their most recent one."""
    conversations = Conversation.objects.for_user(request.user)
    conversation = (
        conversations.filter(code=request.session.get(LAST_CONVERSATION)).first()
        or conversations.order_by("-updated").first()
        or Conversation.objects.create(owner=request.user, model=models_available.default())
    )
    return redirect("chat-conversation", code=conversation.code)


@login_required
@require_POST
def new_conversation(request):
    # Reuse an untouched conversation rather than piling up empty ones.
    conversation = Conversation.objects.for_user(request.user).filter(
        messages__isnull=True
    ).first() or Conversation.objects.create(owner=request.user, model=models_available.default())
    return redirect("chat-conversation", code=conversation.code)


@login_required
@require_GET
def conversation(request, code):
    conversation = _get_conversation_for_user(request, code)
    request.session[LAST_CONVERSATION] = str(conversation.code)
    messages = conversation.messages.prefetch_related("images")
    model_ids = models_available.ids()
    context = {
        "conversation": conversation,
        "conversations": Conversation.objects.for_user(request.user)
        .filter(messages__isnull=False)
        .distinct()
        .order_by("-updated")[:100],
        "messages": [message_payload(m, images=list(m.images.all())) for m in messages],
        "model_choices": models_available.choices(),
        "selected_model": conversation.model if conversation.model in model_ids else model_ids[0],
        "limits": {
            "max_images": settings.IMAGES_PER_MESSAGE,
            "max_bytes": settings.IMAGE_MAX_BYTES,
        },
    }
    return render(request, "chat/conversation.html", context)


@login_required
@require_POST
def upload(request):
    """Check and store one image; answer with its id and thumbnail, or a sentence saying why not."""
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": "No file was sent."}, status=400)
    detail = request.POST.get("detail", ImageAttachment.Detail.AUTO)
    if detail not in ImageAttachment.Detail.values:
        return JsonResponse({"error": "Detail must be low, high or auto."}, status=400)
    try:
        images.check_size(upload.size, name=upload.name)
        checked = images.check_image(upload.read(), name=upload.name)
    except images.ImageRejected as rejection:
        return JsonResponse({"error": rejection.message}, status=400)
    attachment = images.store_image(owner=request.user, checked=checked, detail=detail)
    return JsonResponse(image_payload(attachment), status=201)


def _file_response(field_file, content_type):
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    # Images never change under a code, and they are private to their owner.
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def image(request, code):
    attachment = _get_image_for_user(request, code)
    return _file_response(attachment.file, attachment.mime_type)


@login_required
@require_GET
def image_thumbnail(request, code):
    attachment = _get_image_for_user(request, code)
    return _file_response(attachment.thumbnail, "image/webp")
