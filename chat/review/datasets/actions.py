"""Datasets from the conversation list: the bulk action asks for the options
on a page of its own, which posts back to the list with the same selection
(the ids, or "all matching" with the list's filters in the address), then
streams the file. Each export is logged, per conversation, in one insert."""

from django.contrib import admin
from django.db import connection
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.timezone import now
from django.utils.translation import gettext, gettext_lazy, ngettext

from chat.models import Conversation
from chat.review.datasets import making
from chat.review.datasets.forms import DatasetForm
from chat.review.models import AccessLog


def _plain(queryset):
    return Conversation.objects.filter(pk__in=queryset.values("pk"))


def _selection(request, count):
    query = request.GET.urlencode()
    if request.POST.get("select_across") == "1":
        if query:
            return ngettext(
                "the %(count)s conversation matching the list's filter (%(query)s)",
                "all %(count)s conversations matching the list's filter (%(query)s)",
                count,
            ) % {"count": count, "query": query}
        return ngettext(
            "the %(count)s conversation matching the list's filter",
            "all %(count)s conversations matching the list's filter",
            count,
        ) % {"count": count}
    return ngettext(
        "%(count)s selected conversation", "%(count)s selected conversations", count
    ) % {"count": count}


def log_export(request, conversations, what):
    """One access-log entry per exported conversation, in a single INSERT …
    SELECT, so the queries do not grow with the selection."""
    ids_sql, params = conversations.values("pk").query.sql_with_params()
    log = AccessLog._meta.db_table
    sql = (
        f"INSERT INTO {log} (staff_id, staff_name, kind, conversation_id, owner_id, what, "
        "address, created) SELECT %s, %s, %s, c.id, c.owner_id, "
        f"SUBSTR(%s || c.title, 1, 300), %s, %s FROM {Conversation._meta.db_table} c "
        f"WHERE c.id IN ({ids_sql})"
    )
    values = [
        request.user.pk, request.user.get_username(), AccessLog.Kind.EXPORT, f"{what}: ",
        request.META.get("REMOTE_ADDR") or None, now(), *params,
    ]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, values)


@admin.action(
    permissions=["review"], description=gettext_lazy("Make a dataset from selected conversations…")
)
def make_dataset(modeladmin, request, queryset):
    conversations = _plain(queryset)
    form = DatasetForm(request.POST if "kind" in request.POST else None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        count = conversations.count()
        export = making.start(
            data["kind"], data, user=request.user, filters=_selection(request, count)
        )
        # The log is kept in English, as its other entries: the kind's code.
        log_export(request, conversations, f"dataset ({export.kind})")
        base_url = request.build_absolute_uri("/").rstrip("/")
        options = making.options_of(data, base_url)
        response = StreamingHttpResponse(
            making.stream(
                export, conversations.order_by("pk"), options, language=translation.get_language()
            ),
            content_type=making.content_type(export),
        )
        response["Content-Disposition"] = f'attachment; filename="{making.file_name(export)}"'
        response["X-Dataset-Report"] = reverse(
            "admin:review_datasetexport_change", args=[export.pk]
        )
        return response
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": gettext("Make a dataset"),
        "form": form,
        "selection": _selection(request, conversations.count()),
        "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        "select_across": request.POST.get("select_across") == "1",
        "action": "make_dataset",
    }
    return TemplateResponse(request, "admin/review/dataset_form.html", context)
