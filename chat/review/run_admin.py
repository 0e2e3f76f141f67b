"""Runs in the review admin: the list of every person's runs, and each run with
its items' requests (images named, never inlined) and answers, read-only."""

import json

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy

from chat.models import Run, RunItem
from chat.review.access import LogsItsReads
from chat.review.permissions import ReviewersOnly, can_review


class RunItemInline(admin.TabularInline):
    model = RunItem
    fields = ("position", "thumbnail", "status", "attempts", "request_text", "answer", "error",
              "tokens", "started", "finished")  # fmt: skip
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request, obj=None):
        return can_review(request)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("image"))
    def thumbnail(self, obj):
        return format_html(
            '<img class="review-list-thumb" loading="lazy" alt="" src="{}">',
            reverse("chat-image-thumbnail", args=[obj.image.code]),
        )

    @admin.display(description=gettext_lazy("request"))
    def request_text(self, obj):
        if obj.request is None:
            return "—"
        return format_html("<pre>{}</pre>", json.dumps(obj.request, ensure_ascii=False, indent=1))

    @admin.display(description=gettext_lazy("tokens (prompt + completion)"))
    def tokens(self, obj):
        if obj.prompt_tokens is None:
            return "—"
        return f"{obj.prompt_tokens} + {obj.completion_tokens}"


@admin.register(Run)
class RunAdmin(LogsItsReads, ReviewersOnly, admin.ModelAdmin):
    list_read = "run list (every person's runs and prompts)"
    list_display = ("code", "owner", "model", "prompt_start", "items", "created", "stopped")
    list_select_related = ("owner",)
    list_filter = ("model",)
    search_fields = ("prompt", "=code")
    fields = ("code", "owner", "model", "prompt", "document", "created", "stopped")
    readonly_fields = fields
    inlines = [RunItemInline]

    @admin.display(description=gettext_lazy("prompt"))
    def prompt_start(self, obj):
        return obj.prompt[:80]

    @admin.display(description=gettext_lazy("items (done / all)"))
    def items(self, obj):
        counts = obj.counts()
        return f"{counts[RunItem.Status.DONE]} / {sum(counts.values())}"
