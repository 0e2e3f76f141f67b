"""Bulk actions on the conversation list. Django's "select all N" hands an
action the whole filtered queryset, so they honour the current filter."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.timezone import now
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from chat.models import Conversation
from chat.review import access, exports, queue, reviewing
from chat.review.models import QueueItem, Review, Tag


class TagActionForm(ActionForm):
    tag = forms.ModelChoiceField(
        Tag.objects.all(), required=False, empty_label=_("tag…"), label=_("Tag")
    )


def _set_state(request, queryset, state):
    for conversation in queryset.select_related("review"):
        reviewing.set_state(conversation, request.user, state=state)


@admin.action(permissions=["review"], description=_("Approve selected conversations"))
def approve(modeladmin, request, queryset):
    _set_state(request, queryset, Review.State.APPROVED)
    count = queryset.count()
    modeladmin.message_user(
        request,
        ngettext("Approved %(count)s conversation.", "Approved %(count)s conversations.", count)
        % {"count": count},
    )


@admin.action(permissions=["review"], description=_("Flag selected conversations"))
def flag(modeladmin, request, queryset):
    _set_state(request, queryset, Review.State.FLAGGED)
    count = queryset.count()
    modeladmin.message_user(
        request,
        ngettext("Flagged %(count)s conversation.", "Flagged %(count)s conversations.", count)
        % {"count": count},
    )


@admin.action(permissions=["review"], description=_("Tag selected conversations (choose the tag)"))
def add_tag(modeladmin, request, queryset):
    tag = Tag.objects.filter(pk=request.POST.get("tag") or None).first()
    if tag is None:
        modeladmin.message_user(
            request, gettext("Choose a tag next to the action."), messages.ERROR
        )
        return
    for conversation in queryset:
        reviewing.tag_conversation(conversation, tag, request.user)
    count = queryset.count()
    modeladmin.message_user(
        request,
        ngettext(
            "Tagged %(count)s conversation “%(tag)s”.", "Tagged %(count)s conversations “%(tag)s”.",
            count,
        ) % {"count": count, "tag": tag},
    )  # fmt: skip


@admin.action(permissions=["review"], description=_("Add selected to the review queue"))
def add_to_queue(modeladmin, request, queryset):
    added = queue.add_many(queryset.values_list("pk", flat=True), QueueItem.Reason.BULK)
    modeladmin.message_user(
        request,
        ngettext(
            "Added %(count)s conversation to the queue.",
            "Added %(count)s conversations to the queue.",
            added,
        )
        % {"count": added},
    )


def _plain(queryset):
    """The selected conversations without the list's figures and joins."""
    return Conversation.objects.filter(pk__in=queryset.values("pk")).order_by("pk")


def _attachment(response, name):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _stamp():
    return now().strftime("%Y%m%d-%H%M%S")


@admin.action(permissions=["review"], description=_("Export selected as JSON Lines"))
def export_jsonl(modeladmin, request, queryset):
    conversations = _plain(queryset)
    access.record_exports(request, conversations, what="JSONL")
    base_url = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(
        exports.jsonl(conversations, base_url, request.user), content_type="application/x-ndjson"
    )
    return _attachment(response, f"conversations-{_stamp()}.jsonl")


@admin.action(permissions=["review"], description=_("Export selected as HTML files (zip)"))
def export_html(modeladmin, request, queryset):
    conversations = _plain(queryset)
    access.record_exports(request, conversations, what="HTML")
    response = HttpResponse(exports.zip_of_html(conversations, request.user), "application/zip")
    return _attachment(response, f"conversations-{_stamp()}.zip")


@admin.action(permissions=["review"], description=_("Export review labels of selected as CSV"))
def export_labels(modeladmin, request, queryset):
    conversations = _plain(queryset)
    access.record_exports(request, conversations, what="labels")
    rows = exports.label_rows(conversations, request.user)
    response = StreamingHttpResponse(
        exports.csv_rows(exports.LABEL_HEADER, rows), content_type="text/csv"
    )
    return _attachment(response, f"review-labels-{_stamp()}.csv")


@admin.action(permissions=["export"], description=_("Export selected entries as CSV"))
def export_access_csv(modeladmin, request, queryset):
    header = ["when", "staff", "kind", "what", "owner", "conversation", "address"]
    rows = (
        [e.created.isoformat(), e.staff_name, e.kind, e.what,
         e.owner.get_username() if e.owner else "", e.conversation_id or "", e.address or ""]
        for e in queryset.select_related("owner").iterator()
    )  # fmt: skip
    response = StreamingHttpResponse(exports.csv_rows(header, rows), content_type="text/csv")
    return _attachment(response, f"access-log-{_stamp()}.csv")
