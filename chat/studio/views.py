"""The studio's pages and JSON: image settings, "Edit this image", lineage, downloads."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chat import images, limits
from chat.gateway import catalog
from chat.live.payloads import image_payload, upload_payload
from chat.models import Derivative
from chat.studio import gallery, lineage, names
from chat.studio import markup as markups
from chat.studio.forms import GalleryForm, ImageSettingsForm
from chat.views.access import (
    form_error,
    get_conversation_for_user,
    get_image_for_user,
    get_own_image,
)


@login_required
@require_POST
def image_settings(request, code):
    """Set the conversation's aspect ratio and size; the next answers use them."""
    conversation = get_conversation_for_user(request, code)
    form = ImageSettingsForm(request.POST, instance=conversation)
    if not form.is_valid():
        return JsonResponse({"error": form_error(form)}, status=400)
    form.save()
    return JsonResponse({name: getattr(conversation, name) for name in form.Meta.fields})


@login_required
@require_POST
def reuse(request, code):
    """Edit this image: the image joins the composer again without an upload,
    as a new image of the person's that knows its source."""
    image = get_own_image(request, code)
    copy = lineage.reuse(image, owner=request.user)
    return JsonResponse(upload_payload(copy, catalog.ids()), status=201)


@login_required
@require_GET
def image_lineage(request, code):
    """The viewer's strip: the images this one was made from and made into."""
    image = get_own_image(request, code)
    steps = lineage.strip(image)
    return JsonResponse(
        {"steps": [{"kind": kind or "", **image_payload(step)} for step, kind in steps]}
    )


@login_required
@require_GET
def download(request, code):
    """The original bytes as an attachment named after the conversation, the
    model and the time: "lighthouse-at-dusk_gemini-3-pro-image-preview_2026-12-03_0815.png"."""
    image = get_own_image(request, code)
    response = FileResponse(
        image.file.open("rb"),
        content_type=image.mime_type if image.format != "HEIF" else "image/heif",
        as_attachment=True,
        filename=names.download_name(image),
    )
    response["Cache-Control"] = f"private, max-age={settings.IMAGE_CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def display(request, code):
    """The viewer's display copy: upright, without metadata, at most 2048 px on
    its long side; made on first use and kept (a Derivative of kind "view").
    Cleaned like the model's copies, so reviewers may see it as they see those."""
    image = get_image_for_user(request, code)
    copy = images.derivative_for(image, kind=Derivative.Kind.VIEW)
    response = FileResponse(copy.file.open("rb"), content_type=copy.mime)
    response["Cache-Control"] = f"private, max-age={settings.IMAGE_CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _gallery_item(image, kind):
    message = image.message
    return {
        **image_payload(image),
        "kind": kind,
        "kind_label": str(gallery.KINDS[kind]),
        "created": image.created.isoformat(),
        "conversation": str(message.conversation),
        "message_url": reverse("chat-conversation", args=[message.conversation.code])
        + f"#message-{message.pk}",
    }


@login_required
@require_GET
def your_images(request):
    """Every image the person sent or had generated, newest first, 60 at a time
    (the page's script asks for the next with ?before=<id>&format=json)."""
    form = GalleryForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form_error(form)}, status=400)
    kind = form.cleaned_data["kind"] or ""
    found, more = gallery.page(request.user, kind, form.cleaned_data["before"])
    items = [_gallery_item(image, gallery.kind_of(image)) for image in found]
    before = found[-1].pk if more else ""
    if request.GET.get("format") == "json":
        return JsonResponse({"images": items, "more": more, "before": before})
    context = {"images": items, "more": more, "before": before, "kind": kind}
    return render(request, "studio/images.html", {**context, "kinds": gallery.KINDS.items()})


@login_required
@require_POST
def markup(request, code):
    """Store the person's drawing on one of their images as a new image of
    theirs that knows its source and what was drawn; the original stays."""
    source = get_own_image(request, code)
    upload = request.FILES.get("file")
    if upload is None:
        return JsonResponse({"error": _("No drawing was sent.")}, status=400)
    try:
        marks = json.loads(request.POST.get("marks", ""))
    except ValueError:
        return JsonResponse({"error": _("The marks were not readable.")}, status=400)
    stem = (source.name or "image").rsplit(".", 1)[0][:200]
    try:
        limits.take(request.user, "uploads")
        images.check_size(upload.size, name=upload.name)
        data = upload.read()
        limits.take(request.user, "upload_bytes", len(data))
        marked = markups.store_markup(
            source, owner=request.user, data=data, marks=marks, name=f"{stem}-marked.png"
        )
    except (images.ImageRejected, markups.MarksRefused) as refusal:
        return JsonResponse({"error": refusal.message}, status=400)
    except limits.LimitReached as limit:
        return JsonResponse({"error": limit.message}, status=429)
    return JsonResponse(upload_payload(marked, catalog.ids()), status=201)
