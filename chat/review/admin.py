"""Review in the Django admin: the conversation list, read-only chat records,
the tag set, the queue and the access log. Pages beyond a list are in views/."""

from django.contrib import admin
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, gettext_lazy

from chat.models import Conversation, Derivative, ImageAttachment, Message
from chat.review import bulk, filters, queries, reviewing, views
from chat.review.access import LogsItsReads
from chat.review.datasets import actions as dataset_actions
from chat.review.datasets import views as dataset_views
from chat.review.models import (
    AccessLog,
    ConversationTag,
    DatasetExport,
    PairItem,
    QueueItem,
    ScoreDimension,
    Tag,
)  # fmt: skip
from chat.review.permissions import ReadOnlyForEveryone, ReviewersOnly, can_review
from chat.review.rubric_forms import ScoreDimensionForm
from chat.review.run_admin import RunAdmin  # noqa: F401  (registers runs with the admin)


def review_url(conversation_id):
    return reverse("admin:chat_conversation_review", args=[conversation_id])


@admin.register(Conversation)
class ConversationAdmin(LogsItsReads, ReviewersOnly, admin.ModelAdmin):
    list_display = (
        "title_link", "owner", "models", "message_count", "image_count", "total_tokens",
        "updated", "failed_count", "thumbs", "state", "tag_list",
    )  # fmt: skip
    list_display_links = None
    list_select_related = ("owner", "review")
    list_filter = (
        filters.ModelFilter, ("owner", admin.RelatedOnlyFieldListFilter),
        filters.ReviewStateFilter, filters.TagFilter, filters.ErrorsFilter,
        filters.ThumbsFilter, filters.DeletedFilter, ("updated", admin.DateFieldListFilter),
    )  # fmt: skip
    search_fields = ("title",)
    search_help_text = gettext_lazy("Titles and message text")
    ordering = ("-updated",)
    show_full_result_count = False
    list_per_page = 50
    action_form = bulk.TagActionForm
    actions = [
        bulk.approve, bulk.flag, bulk.add_tag, bulk.add_to_queue,
        bulk.export_jsonl, bulk.export_html, bulk.export_labels, dataset_actions.make_dataset,
    ]  # fmt: skip

    def has_review_permission(self, request):
        return can_review(request)

    def has_delete_permission(self, request, obj=None):
        # Never while an answer streams: its task would fail on a missing row.
        if obj is not None and obj.messages.filter(status=Message.Status.STREAMING).exists():
            return False
        return can_review(request) and request.user.has_perm("chat.delete_conversation")

    def get_deleted_objects(self, objs, request):
        # Its messages and images go with it, though no one may delete them alone.
        deleted, counts, _, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # one at a time, with the streaming check
        return actions

    def get_queryset(self, request):
        tags = ConversationTag.objects.select_related("tag").order_by("tag__name")
        return queries.with_figures(super().get_queryset(request)).prefetch_related(
            Prefetch("tag_links", queryset=tags)
        )

    def get_search_results(self, request, queryset, search_term):
        return queries.search(queryset, search_term), False

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # The review page replaces the edit form: nothing here is editable.
        return redirect(review_url(object_id))

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path("<int:object_id>/review/", wrap(self.review_view),
                 name="chat_conversation_review"),
            path("<int:object_id>/export/<str:kind>/", wrap(self.export_view),
                 name="chat_conversation_export"),
            path("queue/next/", wrap(self.next_view), name="review_queue_next"),
            path("queue/<int:item_id>/skip/", wrap(self.skip_view), name="review_queue_skip"),
            path("disagreements/", wrap(self.disagreements_view), name="review_disagreements"),
            path("summary/", wrap(self.summary_view), name="review_summary"),
            path("pairs/next/", wrap(self.next_pair_view), name="review_pair_next"),
            path("pairs/<int:item_id>/", wrap(self.pair_view), name="review_pair"),
            # Not behind the admin's login: the signature is the permission.
            path("datasets/image/<str:token>/", dataset_views.signed_image,
                 name="review_dataset_image"),
            path("corrections/preview/", wrap(self.correction_preview_view),
                 name="review_correction_preview"),
            *super().get_urls(),
        ]  # fmt: skip

    def review_view(self, request, object_id):
        return views.conversation.review_page(self, request, object_id)

    def export_view(self, request, object_id, kind):
        return views.export.export_one(self, request, object_id, kind)

    def next_view(self, request):
        return views.queue.queue_next(self, request)

    def skip_view(self, request, item_id):
        return views.queue.queue_skip(self, request, item_id)

    def disagreements_view(self, request):
        return views.queue.disagreements(self, request)

    def summary_view(self, request):
        return views.summary.summary(self, request)

    def next_pair_view(self, request):
        return views.pairs.next_pair(self, request)

    def pair_view(self, request, item_id):
        return views.pairs.pair_page(self, request, item_id)

    def correction_preview_view(self, request):
        return views.conversation.correction_preview(self, request)

    @admin.display(description=gettext_lazy("title"), ordering="title")
    def title_link(self, obj):
        return format_html('<a href="{}">{}</a>', review_url(obj.pk), str(obj))

    @admin.display(description=gettext_lazy("models"))
    def models(self, obj):
        return ", ".join(sorted(filter(None, obj.models_used.split(",")))) or "—"

    @admin.display(description=gettext_lazy("messages"), ordering="message_count")
    def message_count(self, obj):
        return obj.message_count

    @admin.display(description=gettext_lazy("images"), ordering="image_count")
    def image_count(self, obj):
        return obj.image_count

    @admin.display(description=gettext_lazy("tokens"), ordering="total_tokens")
    def total_tokens(self, obj):
        return f"{obj.total_tokens:,}"

    @admin.display(description=gettext_lazy("failed or stopped"), ordering="failed_count")
    def failed_count(self, obj):
        return obj.failed_count or "—"

    @admin.display(description=gettext_lazy("user's thumbs"))
    def thumbs(self, obj):
        if not (obj.thumbs_up or obj.thumbs_down):
            return "—"
        return format_html(
            '<span class="thumbs-up">▲ {}</span> <span class="thumbs-down">▼ {}</span>',
            obj.thumbs_up, obj.thumbs_down,
        )  # fmt: skip

    @admin.display(description=gettext_lazy("review"))
    def state(self, obj):
        review = getattr(obj, "review", None)
        state = review.get_state_display() if review else "unreviewed"
        return format_html(
            '<span class="review-state {}">{}</span>', state.replace(" ", "-"), state
        )

    @admin.display(description=gettext_lazy("tags"))
    def tag_list(self, obj):
        links = obj.tag_links.all()
        return format_html_join(
            " ", '<span class="review-tag">{}</span>', ((t.tag,) for t in links)
        )


class ChatRecordAdmin(ReviewersOnly, admin.ModelAdmin):
    """A read-only list of chat records, each leading to its conversation's review page."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect(review_url(self.conversation_id(object_id)))


@admin.register(Message)
class MessageAdmin(LogsItsReads, ChatRecordAdmin):
    list_display = ("id", "conversation_link", "role", "status", "model", "tokens", "created")
    list_filter = ("role", "status", "model")
    list_select_related = ("conversation",)
    # The request id finds an answer from a log line or the gateway's logs.
    search_fields = ("text", "=request_id")

    def conversation_id(self, object_id):
        return Message.objects.filter(pk=object_id).values_list("conversation", flat=True).first()

    @admin.display(description=gettext_lazy("conversation"))
    def conversation_link(self, obj):
        return format_html('<a href="{}">{}</a>', review_url(obj.conversation_id), obj.conversation)

    @admin.display(description=gettext_lazy("tokens (prompt + completion)"))
    def tokens(self, obj):
        if obj.prompt_tokens is None:
            return "—"
        return f"{obj.prompt_tokens} + {obj.completion_tokens}"


@admin.register(ImageAttachment)
class ImageAttachmentAdmin(LogsItsReads, ChatRecordAdmin):
    list_read = "image list (thumbnails of every person's images)"
    list_display = (
        "thumbnail", "name", "owner", "format", "dimensions", "size", "detail", "tokens",
        "created",
    )  # fmt: skip
    list_filter = ("format", "detail")
    list_select_related = ("owner",)
    search_fields = ("=code", "name", "=sha256")

    def conversation_id(self, object_id):
        image = ImageAttachment.objects.filter(pk=object_id).values("message__conversation")
        return (image.first() or {}).get("message__conversation")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        conversation = self.conversation_id(object_id)
        if conversation is None:  # uploaded, never sent
            return redirect(reverse("admin:chat_imageattachment_changelist"))
        return redirect(review_url(conversation))

    @admin.display(description=gettext_lazy("image"))
    def thumbnail(self, obj):
        return format_html(
            '<img class="review-list-thumb" loading="lazy" alt="" src="{}">',
            reverse("chat-image-thumbnail", args=[obj.code]),
        )

    @admin.display(description=gettext_lazy("pixels"))
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}"


@admin.register(Derivative)
class DerivativeAdmin(ReviewersOnly, admin.ModelAdmin):
    list_display = ("source", "kind", "mime", "dimensions", "size", "created")
    list_filter = ("kind", "mime")
    search_fields = ("=source", "=sha256")

    @admin.display(description=gettext_lazy("pixels"))
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}"


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Reviewers read the tags; adding, renaming or deleting one, which changes
    every reviewer's labels, takes Django's own review.add_tag, change_tag or
    delete_tag, and leaves a record on each conversation it touches."""

    list_display = ("name", "description", "created")
    search_fields = ("name",)
    fields = ("name", "description")

    def has_module_permission(self, request):
        return can_review(request)

    def has_view_permission(self, request, obj=None):
        return can_review(request)

    def has_add_permission(self, request):
        return can_review(request) and request.user.has_perm("review.add_tag")

    def has_change_permission(self, request, obj=None):
        return can_review(request) and request.user.has_perm("review.change_tag")

    def has_delete_permission(self, request, obj=None):
        return can_review(request) and request.user.has_perm("review.delete_tag")

    def save_model(self, request, obj, form, change):
        old_name = form.initial.get("name", obj.name)
        super().save_model(request, obj, form, change)
        if change:
            reviewing.tag_changed(obj, request.user, old_name=old_name)

    def delete_model(self, request, obj):
        reviewing.delete_tags([obj], request.user)

    def delete_queryset(self, request, queryset):
        reviewing.delete_tags(list(queryset), request.user)


@admin.register(QueueItem)
class QueueItemAdmin(ReviewersOnly, admin.ModelAdmin):
    list_display = (
        "conversation_link", "reason", "reviews", "claimed_by", "claimed_until", "created",
        "done",
    )  # fmt: skip
    list_filter = (
        ("done", admin.EmptyFieldListFilter), "reason",
        ("claimed_by", admin.RelatedOnlyFieldListFilter),
    )  # fmt: skip
    list_select_related = ("conversation", "claimed_by")
    ordering = ("done", "reviews_done", "created")
    change_list_template = "admin/review/queue_list.html"

    @admin.display(description=gettext_lazy("conversation"))
    def conversation_link(self, obj):
        return format_html('<a href="{}">{}</a>', review_url(obj.conversation_id), obj.conversation)

    @admin.display(description=gettext_lazy("reviews"), ordering="reviews_done")
    def reviews(self, obj):
        return gettext("%(done)s of %(needed)s") % {
            "done": obj.reviews_done, "needed": obj.reviews_needed}  # fmt: skip

    def change_view(self, request, object_id, form_url="", extra_context=None):
        item = QueueItem.objects.filter(pk=object_id).first()
        return redirect(review_url(item.conversation_id) if item else "admin:index")


@admin.register(PairItem)
class PairItemAdmin(ReviewersOnly, admin.ModelAdmin):
    """The comparisons waiting for blind judgement: no model name here either."""

    list_display = ("pair_link", "reason", "reviews", "claimed_by", "claimed_until", "created",
                    "done")  # fmt: skip
    list_filter = (("done", admin.EmptyFieldListFilter), "reason")
    list_select_related = ("claimed_by",)
    ordering = ("done", "reviews_done", "created")
    change_list_template = "admin/review/queue_list.html"

    @admin.display(description=gettext_lazy("pair"))
    def pair_link(self, obj):
        return format_html(
            '<a href="{}">{}</a>', reverse("admin:review_pair", args=[obj.pk]),
            gettext("comparison %(id)s") % {"id": obj.comparison_id},
        )  # fmt: skip

    @admin.display(description=gettext_lazy("reviews"), ordering="reviews_done")
    def reviews(self, obj):
        return gettext("%(done)s of %(needed)s") % {
            "done": obj.reviews_done, "needed": obj.reviews_needed}  # fmt: skip

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return redirect(reverse("admin:review_pair", args=[object_id]))


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyForEveryone, admin.ModelAdmin):
    """Viewing needs review.view_accesslog (superusers have it); no one edits it."""

    list_display = ("created", "staff_name", "kind", "what", "owner", "conversation_link",
                    "address")  # fmt: skip
    list_filter = (
        "kind", ("staff", admin.RelatedOnlyFieldListFilter),
        ("owner", admin.RelatedOnlyFieldListFilter), "created",
    )  # fmt: skip
    list_select_related = ("owner",)
    search_fields = ("staff_name", "what", "=address")
    actions = [bulk.export_access_csv]

    def has_export_permission(self, request):
        return self.has_view_permission(request)

    @admin.display(description=gettext_lazy("conversation"))
    def conversation_link(self, obj):
        if obj.conversation_id is None:
            return gettext("purged") if "conversation" in obj.what else "—"
        return format_html('<a href="{}">{}</a>', review_url(obj.conversation_id), gettext("open"))


@admin.register(DatasetExport)
class DatasetExportAdmin(ReadOnlyForEveryone, admin.ModelAdmin):
    """Each dataset made, with its report; reviewers read it, no one edits it."""

    list_display = ("created", "kind", "made_by", "filters", "conversations", "kept",
                    "left_out_count", "finished")  # fmt: skip
    list_filter = ("kind", ("made_by", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("made_by",)
    fields = ("kind", "made_by", "created", "finished", "filters", "options", "conversations",
              "kept", "left_out_count", "left_out")  # fmt: skip
    readonly_fields = fields

    def has_module_permission(self, request):
        return can_review(request)

    def has_view_permission(self, request, obj=None):
        return can_review(request)

    @admin.display(description=gettext_lazy("left out, and why"))
    def left_out(self, obj):
        report = obj.report or {}
        rules = format_html_join(
            "", "<li>{} × {}</li>", ((n, r) for r, n in report.get("rules", {}).items())
        )
        named = format_html_join(
            "", "<li>{}: {}</li>", ((name, rule) for name, rule in report.get("examples", []))
        )
        notes = format_html_join("", "<p>{}</p>", ((note,) for note in report.get("notes", [])))
        return format_html(
            '<ul>{}</ul><ul class="review-left-out-list">{}</ul>{}', rules, named, notes
        )


@admin.register(ScoreDimension)
class ScoreDimensionAdmin(admin.ModelAdmin):
    """The rubric: operators (staff who may change it) define what reviewers score."""

    form = ScoreDimensionForm
    list_display = ("name", "kind", "required", "applies_to", "position")
    list_editable = ("position",)
    filter_horizontal = ("for_tags",)
    fieldsets = (
        (None, {"fields": ("name", "description", "kind", "required", "position")}),
        (gettext_lazy("Values"), {
            "fields": tuple(f"scale_{n}" for n in range(1, 6)) + ("categories",),
            "description": gettext_lazy("A scale describes each of 1 to 5; categories are listed "
                                        "one per line. Yes / no needs nothing."),
        }),
        (gettext_lazy("Applies to"), {"fields": ("for_models", "for_tags")}),
    )  # fmt: skip

    @admin.display(description=gettext_lazy("applies to"))
    def applies_to(self, obj):
        models = ", ".join(sorted(obj.model_names())) or gettext("every model")
        tags = ", ".join(t.name for t in obj.for_tags.all()) or gettext("every tag")
        return f"{models}; {tags}"

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("for_tags")
