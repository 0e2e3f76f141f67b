"""The studio's pages and JSON: image settings, "Edit this image", lineage, downloads."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from chat.gateway import catalog
from chat.live.payloads import image_payload, upload_payload
from chat.studio import lineage, names
from chat.studio.forms import ImageSettingsForm
from chat.views.access import form_error, get_conversation_for_user, get_own_image


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
