import re
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from chat import documents, images, limits
from chat.forms import CropForm
from chat.gateway import catalog
from chat.images import background, crops, fetch, workers
from chat.live.payloads import upload_payload
from chat.models import ImageAttachment
from chat.ops import metrics
from chat.views.access import form_errors, get_image_for_user, get_own_image
from chat.views.documents import upload_document


def _detail(request):
    detail = request.POST.get("detail", ImageAttachment.Detail.AUTO)
    if detail not in ImageAttachment.Detail.values:
        raise images.ImageRejected(
            gettext("Detail must be low, high or auto."), reason="bad_request"
        )
    return detail


def _busy(busy):
    metrics.image_refused(busy.reason)
    response = JsonResponse({"error": busy.message, "retry_after": busy.retry_after}, status=503)
    response["Retry-After"] = str(busy.retry_after)
    return response


def _too_many(limit):
    response = JsonResponse({"error": limit.message, "retry_after": limit.retry_after}, status=429)
    response["Retry-After"] = str(limit.retry_after)
    return response


@login_required
@require_POST
def upload(request):
    """Check and store one image; answer with its id, thumbnail and token
    estimates, or a sentence saying why not."""
    upload = request.FILES.get("file")
    if upload is None:
        metrics.image_refused("no_file")
        return JsonResponse({"error": gettext("No file was sent.")}, status=400)
    if documents.document_kind(upload.read(1024)):
        upload.seek(0)
        try:
            detail = _detail(request)
        except images.ImageRejected as rejection:
            return JsonResponse({"error": rejection.message}, status=400)
        return upload_document(request, upload, detail=detail)
    upload.seek(0)
    try:
        limits.take(request.user, "uploads")
        detail = _detail(request)
        images.check_size(upload.size, name=upload.name)
        prepared = workers.call(upload.read(), images.prepare, name=upload.name)
        limits.take(request.user, "upload_bytes", len(prepared.checked.data))
    except images.ImageRejected as rejection:
        metrics.image_refused(rejection.reason)
        return JsonResponse({"error": rejection.message}, status=400)
    except limits.LimitReached as limit:
        return _too_many(limit)
    except workers.Busy as busy:
        return _busy(busy)
    attachment = images.store_image(
        owner=request.user, prepared=prepared, detail=detail, name=upload.name
    )
    background.make_derivative_later(attachment)
    metrics.image_accepted(attachment.size)
    return JsonResponse(upload_payload(attachment, catalog.ids()), status=201)


@login_required
@require_POST
def image_from_url(request):
    """Fetch an image URL once (chat/images/fetch.py), check it like an upload and store
    it, so the conversation keeps the image when the URL goes away."""
    url = request.POST.get("url", "").strip()
    if not url or len(url) > 2000:
        return JsonResponse({"error": gettext("Give an https:// image URL.")}, status=400)
    name = url.rsplit("/", 1)[-1].split("?")[0][:255] or gettext("image")
    try:
        detail = _detail(request)
        limits.take(request.user, "url_fetches")
        data = fetch.fetch_image(
            url, max_bytes=settings.IMAGE_MAX_BYTES, timeout=settings.IMAGE_FETCH_TIMEOUT
        )
        prepared = workers.call(data, images.prepare, name=name)
        limits.take(request.user, "upload_bytes", len(prepared.checked.data))
    except (fetch.FetchRefused, images.ImageRejected) as rejection:
        metrics.image_refused(rejection.reason)
        return JsonResponse({"error": rejection.message}, status=400)
    except limits.LimitReached as limit:
        return _too_many(limit)
    except workers.Busy as busy:
        return _busy(busy)
    attachment = images.store_image(
        owner=request.user, prepared=prepared, detail=detail, source_url=url, name=name
    )
    background.make_derivative_later(attachment)
    metrics.image_accepted(attachment.size)
    return JsonResponse(upload_payload(attachment, catalog.ids()), status=201)


def _safe_name(name, extension):
    """A download name from what the user called the image: letters, digits,
    dots, dashes and underscores only, with the extension of what is served."""
    stem = Path(name or "").stem
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip(".-")[:80]
    return f"{stem or 'image'}.{extension}"


def _file_response(field_file, content_type, name):
    extension = "heic" if content_type == "image/heif" else content_type.rsplit("/", 1)[-1]
    response = FileResponse(
        field_file.open("rb"),
        content_type=content_type,
        filename=_safe_name(name, extension.replace("jpeg", "jpg")),
    )
    # Private photos: no shared cache keeps them, and a browser only briefly
    # (a shared computer should not show them long after logout).
    response["Cache-Control"] = f"private, max-age={settings.IMAGE_CACHE_SECONDS}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def image(request, code):
    """The cleaned image (upright, no metadata, at the high-detail size)."""
    attachment = get_image_for_user(request, code)
    derivative = images.derivative_for(attachment, kind="high")
    return _file_response(derivative.file, derivative.mime, attachment.name)


@login_required
@require_GET
def image_original(request, code):
    """The original bytes as received, metadata and all: for its owner, and staff
    with the permission (each such read is logged by review)."""
    attachment = get_image_for_user(request, code, original=True)
    return _file_response(attachment.file, attachment.mime_type, attachment.name)


@login_required
@require_GET
def image_thumbnail(request, code):
    attachment = get_image_for_user(request, code, copy="thumbnail")
    return _file_response(attachment.thumbnail, "image/webp", attachment.name)


@login_required
@require_POST
def crop(request, code):
    """Zoom into a region: cut the box from the stored original (no second
    upload) and store it as a new image to send, at high detail. Owner only:
    a reviewer's crop would hand them a copy of the original's pixels as theirs."""
    attachment = get_own_image(request, code)
    form = CropForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": form_errors(form)}, status=400)
    box = tuple(form.cleaned_data[key] for key in ("left", "top", "width", "height"))
    try:
        # The same limits as an upload, and the same workers (issue 17).
        limits.take(request.user, "uploads")
        prepared = crops.cut_region(attachment, box)
        limits.take(request.user, "upload_bytes", len(prepared.checked.data))
        region = crops.store_region(attachment, box, owner=request.user, prepared=prepared)
    except images.ImageRejected as rejection:
        return JsonResponse({"error": rejection.message}, status=400)
    except limits.LimitReached as limit:
        return _too_many(limit)
    except workers.Busy as busy:
        return _busy(busy)
    return JsonResponse(upload_payload(region, catalog.ids()), status=201)
