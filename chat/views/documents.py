"""Documents over HTTP: the upload (reached through the image upload, which
hands over anything that starts like a PDF or TIFF), the pages as they are
rendered, and the original as a download."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.timezone import now
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from chat import images, limits
from chat.documents import DocumentRejected, background, check_document_size, intake
from chat.gateway import catalog
from chat.live.payloads import upload_payload
from chat.models import Document
from chat.ops import metrics


def document_payload(document, *, after=0):
    """The document and its pages numbered above `after`, as the composer draws them."""
    pages = document.pages.filter(page__gt=after).order_by("page")
    models = catalog.ids()
    texts = document.page_texts
    return {
        "document": {
            "id": str(document.code),
            "name": document.name,
            "kind": document.kind,
            "size": document.size,
            "page_count": document.page_count,
            "status": document.status,
            "send_text": document.send_text,
            "text_url": reverse("chat-document-text", args=[document.code]),
            "error": document.error,
            "url": reverse("chat-document", args=[document.code]),
            "original_url": reverse("chat-document-original", args=[document.code]),
            "pages": [
                {
                    **upload_payload(page, models),
                    "page": page.page,
                    "has_text": bool(page.page <= len(texts) and texts[page.page - 1]),
                }
                for page in pages
            ],
        }
    }


def upload_document(request, upload, *, detail):
    """Open the document (its refusals come now, with a sentence), answer with
    its page count, and render its pages after answering."""
    try:
        limits.take(request.user, "uploads")
        check_document_size(upload.size, name=upload.name)
        data = upload.read()
        limits.take(request.user, "upload_bytes", len(data))
        document, rendering = intake.open_document(owner=request.user, data=data, name=upload.name)
    except (DocumentRejected, images.ImageRejected) as rejection:
        metrics.image_refused(rejection.reason)
        return JsonResponse({"error": rejection.message}, status=400)
    except limits.LimitReached as limit:
        response = JsonResponse(
            {"error": limit.message, "retry_after": limit.retry_after}, status=429
        )
        response["Retry-After"] = str(limit.retry_after)
        return response
    background.render_later(document, rendering, detail=detail)
    return JsonResponse(document_payload(document), status=201)


def _get_own_document(request, code):
    return get_object_or_404(Document, code=code, owner=request.user)


@login_required
@require_GET
def document(request, code):
    """The document's status and its pages after `?after=N`: the page polls this
    while pages render."""
    document = _get_own_document(request, code)
    if document.status == Document.Status.RENDERING and document.updated < now() - timedelta(
        seconds=settings.DOCUMENT_PAGE_SECONDS * 3
    ):
        # No page for three page-times: the process rendering it has gone.
        intake.fail(document, f"Rendering “{document.name}” was interrupted; attach it again.")
    try:
        after = max(0, int(request.GET.get("after", 0)))
    except ValueError:
        after = 0
    return JsonResponse(document_payload(document, after=after))


@login_required
@require_GET
def document_original(request, code):
    """The file as received, always as a download: a PDF is never rendered by
    the browser from our origin."""
    document = _get_own_document(request, code)
    if not document.file:
        return JsonResponse({"error": gettext("This document's file was not kept.")}, status=404)
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        content_type=document.mime_type,
        filename=document.name or f"document.{document.kind}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    response["Cache-Control"] = f"private, max-age={settings.IMAGE_CACHE_SECONDS}"
    return response


@login_required
@require_POST
def document_text(request, code):
    """Send the document's text layer with its pages, or not (`send_text`: "true"/"false")."""
    document = _get_own_document(request, code)
    document.send_text = request.POST.get("send_text") == "true"
    document.save(update_fields=["send_text"])
    return JsonResponse({"send_text": document.send_text})
