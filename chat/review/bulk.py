"""Bulk actions on the conversation list. Django's "select all N" hands an
action the whole filtered queryset, so they honour the current filter."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ActionForm
from django.http import HttpResponse, StreamingHttpResponse
from django.utils.timezone import now

from chat.models import Conversation
from chat.review import access, exports, queue, reviewing
from chat.review.models import QueueItem, Review, Tag


class TagActionForm(ActionForm):
    tag = forms.ModelChoiceField(Tag.objects.all(), required=False, empty_label="tag…", label="Tag")


def _set_state(request, queryset, state):
    for conversation in queryset.select_related("review"):
        reviewing.set_state(conversation, request.user, state=state)


@admin.action(permissions=["review"], description="Approve selected conversations")
def approve(modeladmin, request, queryset):
    _set_state(request, queryset, Review.State.APPROVED)
    modeladmin.message_user(request, f"Approved {queryset.count()} conversations.")


@admin.action(permissions=["review"], description="Flag selected conversations")
def flag(modeladmin, request, queryset):
    _set_state(request, queryset, Review.State.FLAGGED)
    modeladmin.message_user(request, f"Flagged {queryset.count()} conversations.")


@admin.action(permissions=["review"], description="Tag selected conversations (choose the tag)")
def add_tag(modeladmin, request, queryset):
    tag = Tag.objects.filter(pk=request.POST.get("tag") or None).first()
    if tag is None:
        modeladmin.message_user(request, "Choose a tag next to the action.", messages.ERROR)
        return
    for conversation in queryset:
        reviewing.tag_conversation(conversation, tag, request.user)
    modeladmin.message_user(request, f"Tagged {queryset.count()} conversations “{tag}”.")


@admin.action(permissions=["review"], description="Add selected to the review queue")
def add_to_queue(modeladmin, request, queryset):
    added = queue.add_many(queryset.values_list("pk", flat=True), QueueItem.Reason.BULK)
    modeladmin.message_user(request, f"Added {added} conversations to the queue.")


def _plain(queryset):
    """The selected conversations without the list's figures and joins."""
    return Conversation.objects.filter(pk__in=queryset.values("pk")).order_by("pk")


def _attachment(response, name):
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _stamp():
    return now().strftime("%Y%m%d-%H%M%S")


@admin.action(permissions=["review"], description="Export selected as JSON Lines")
def export_jsonl(modeladmin, request, queryset):
    conversations = _plain(queryset)
    access.record_exports(request, conversations, what="JSONL")
    base_url = request.build_absolute_uri("/").rstrip("/")
    response = StreamingHttpResponse(
        exports.jsonl(conversations, base_url, request.user), content_type="application/x-ndjson"
    )
    return _attachment(response, f"conversations-{_stamp()}.jsonl")


@admin.action(permissions=["review"], description="Export selected as HTML files (zip)")
def export_html(modeladmin, request, queryset):
    conversations = _plain(queryset)
    access.record_exports(request, conversations, what="HTML")
    response = HttpResponse(exports.zip_of_html(conversations, request.user), "application/zip")
    return _attachment(response, f"conversations-{_stamp()}.zip")


@admin.action(permissions=["review"], description="Export review labels of selected as CSV")
def export_labels(modeladmin, request, queryset):
    conversations = _plain(queryset)
    access.record_exports(request, conversations, what="labels")
    rows = exports.label_rows(conversations, request.user)
    response = StreamingHttpResponse(
        exports.csv_rows(exports.LABEL_HEADER, rows), content_type="text/csv"
    )
    return _attachment(response, f"review-labels-{_stamp()}.csv")


@admin.action(permissions=["export"], description="Export selected entries as CSV")
def export_access_csv(modeladmin, request, queryset):
    header = ["when", "staff", "kind", "what", "owner", "conversation", "address"]
    rows = (
        [e.created.isoformat(), e.staff_name, e.kind, e.what,
         e.owner.get_username() if e.owner else "", e.conversation_id or "", e.address or ""]
        for e in queryset.select_related("owner").iterator()
    )  # fmt: skip
    response = StreamingHttpResponse(exports.csv_rows(header, rows), content_type="text/csv")
    return _attachment(response, f"access-log-{_stamp()}.csv")
