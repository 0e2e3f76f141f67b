"""An answer's tables as files: /messages/<pk>/tables/<n>.<csv|xlsx|json>, and
a validated extraction's fields as /messages/<pk>/extraction.<csv|xlsx|json>,
for the conversation's owner, always as a download."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from chat import extraction as extractions
from chat import tables
from chat.models import Message


def _get_answer_for_user(request, pk):
    return get_object_or_404(
        Message,
        pk=pk,
        role=Message.Role.ASSISTANT,
        conversation__owner=request.user,
        conversation__deleted=None,
    )


def _download(table, format, filename):
    response = HttpResponse(tables.write(table, format), content_type=tables.FORMATS[format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{format}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_GET
def table(request, pk, index, format):
    answer = _get_answer_for_user(request, pk)
    found = tables.find_tables(answer.text)
    if format not in tables.FORMATS or not 1 <= index <= len(found):
        raise Http404()
    return _download(found[index - 1], format, f"answer-{pk}-table-{index}")


@login_required
@require_GET
def extraction(request, pk, format):
    """Only a finished answer whose fields fit its schema: a download never
    passes off an answer that failed validation as data."""
    answer = _get_answer_for_user(request, pk)
    if format not in tables.FORMATS or not answer.schema or answer.status != "complete":
        raise Http404()
    extracted = extractions.validate(answer.schema, answer.text)
    if not extracted.valid:
        raise Http404()
    return _download(extracted.table(), format, f"answer-{pk}-extraction")
