"""An answer's tables as files: /messages/<pk>/tables/<n>.<csv|xlsx|json>,
for the conversation's owner, always as a download."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from chat import tables
from chat.models import Message


@login_required
@require_GET
def table(request, pk, index, format):
    answer = get_object_or_404(
        Message,
        pk=pk,
        role=Message.Role.ASSISTANT,
        conversation__owner=request.user,
        conversation__deleted=None,
    )
    found = tables.find_tables(answer.text)
    if format not in tables.FORMATS or not 1 <= index <= len(found):
        raise Http404()
    response = HttpResponse(
        tables.write(found[index - 1], format), content_type=tables.FORMATS[format]
    )
    response["Content-Disposition"] = f'attachment; filename="answer-{pk}-table-{index}.{format}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
