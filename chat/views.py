from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from chat import fetch, images, models_available
from chat.models import Conversation, ImageAttachment
from chat.transcript import message_payload, upload_payload

LAST_CONVERSATION = "last_conversation"
IMAGE_HISTORY_CHOICES = [("all", "every turn"), ("1", "last turn"), ("3", "last 3 turns"),
                         ("5", "last 5 turns"), ("10", "last 10 turns")]  # fmt: skip
MAX_IMAGE_HISTORY_TURNS = 100


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


def _image_history_choices(conversation):
    """The usual choices, plus the conversation's own if an operator default set another."""
    current = str(conversation.image_history_turns or "all")
    if current in dict(IMAGE_HISTORY_CHOICES):
        return IMAGE_HISTORY_CHOICES
    return [*IMAGE_HISTORY_CHOICES, (current, f"last {current} turns")]


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
        "image_history_choices": _image_history_choices(conversation),
        "image_history": str(conversation.image_history_turns or "all"),
    }
    return render(request, "chat/conversation.html", context)


def _detail(request):
    detail = request.POST.get("detail", ImageAttachment.Detail.AUTO)
    if detail not in ImageAttachment.Detail.values:
        raise images.ImageRejected("Detail must be low, high or auto.")
    return detail


@login_required
@require_POST
def upload(request):
    """Check and store one image; answer with its id, thumbnail and token
    estimates, or a sentence saying why not."""
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": "No file was sent."}, status=400)
    try:
        detail = _detail(request)
        images.check_size(upload.size, name=upload.name)
        checked = images.check_image(upload.read(), name=upload.name)
    except images.ImageRejected as rejection:
        return JsonResponse({"error": rejection.message}, status=400)
    attachment = images.store_image(
        owner=request.user, checked=checked, detail=detail, name=upload.name
    )
    return JsonResponse(upload_payload(attachment, models_available.ids()), status=201)


@login_required
@require_POST
def image_from_url(request):
    """Fetch an image URL once (chat/fetch.py), check it like an upload and store
    it, so the conversation keeps the image when the URL goes away."""
    url = request.POST.get("url", "").strip()
    if not url or len(url) > 2000:
        return JsonResponse({"error": "Give an https:// image URL."}, status=400)
    name = url.rsplit("/", 1)[-1].split("?")[0][:255] or "image"
    try:
        detail = _detail(request)
        data = fetch.fetch_image(
            url, max_bytes=settings.IMAGE_MAX_BYTES, timeout=settings.IMAGE_FETCH_TIMEOUT
        )
        checked = images.check_image(data, name=name)
    except (fetch.FetchRefused, images.ImageRejected) as rejection:
        return JsonResponse({"error": rejection.message}, status=400)
    attachment = images.store_image(
        owner=request.user, checked=checked, detail=detail, source_url=url, name=name
    )
    return JsonResponse(upload_payload(attachment, models_available.ids()), status=201)


@login_required
@require_POST
def image_history(request, code):
    """Set which earlier turns' images are sent again: "all" or a number of turns."""
    conversation = _get_conversation_for_user(request, code)
    value = request.POST.get("value", "")
    if value != "all" and not (value.isdigit() and 1 <= int(value) <= MAX_IMAGE_HISTORY_TURNS):
        return JsonResponse({"error": "Choose every turn or a number of turns."}, status=400)
    conversation.image_history_turns = None if value == "all" else int(value)
    conversation.save(update_fields=["image_history_turns"])
    return JsonResponse({"value": value})


def _file_response(field_file, content_type):
    response = FileResponse(field_file.open("rb"), content_type=content_type)
    # Images never change under a code, and they are private to their owner.
    response["Cache-Control"] = "private, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def image(request, code):
    """The cleaned image (upright, no metadata, at the high-detail size)."""
    attachment = _get_image_for_user(request, code)
    derivative = images.derivative_for(attachment, kind="high")
    return _file_response(derivative.file, derivative.mime)


@login_required
@require_GET
def image_original(request, code):
    """The original bytes as received, metadata and all: for its owner and staff only."""
    attachment = _get_image_for_user(request, code)
    return _file_response(attachment.file, attachment.mime_type)


@login_required
@require_GET
def image_thumbnail(request, code):
    attachment = _get_image_for_user(request, code)
    return _file_response(attachment.thumbnail, "image/webp")
