"""One conversation exported from its review page, as HTML or JSON Lines;
the access log records it."""

from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404

from chat.models import Conversation
from chat.review import access, exports
from chat.review.models import AccessLog
from chat.review.permissions import require_review


def export_one(model_admin, request, object_id, kind):
    require_review(request)
    conversation = get_object_or_404(
        exports.with_everything(Conversation.objects.all()), pk=object_id
    )
    if kind not in ("html", "jsonl"):
        raise Http404
    access.record(
        request, AccessLog.Kind.EXPORT, what=f"{kind.upper()}: {conversation}",
        conversation=conversation,
    )  # fmt: skip
    if kind == "html":
        response = HttpResponse(exports.html(conversation, request.user), content_type="text/html")
    else:
        base_url = request.build_absolute_uri("/").rstrip("/")
        lines = exports.jsonl(
            Conversation.objects.filter(pk=conversation.pk), base_url, request.user
        )
        response = StreamingHttpResponse(lines, content_type="application/x-ndjson")
    response["Content-Disposition"] = (
        f'attachment; filename="conversation-{conversation.code}.{kind}"'
    )
    return response
