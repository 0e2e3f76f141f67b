from django.contrib import admin

from chat.models import Conversation, Derivative, ImageAttachment, Message


class MessageInline(admin.TabularInline):
    model = Message
    extra = 0
    fields = (
        "role", "status", "text", "model", "prompt_tokens", "completion_tokens",
        "dropped_turns", "dropped_images", "error", "request_id",
    )  # fmt: skip
    readonly_fields = fields
    show_change_link = True


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("title", "owner", "model", "created", "updated")
    list_select_related = ("owner",)
    raw_id_fields = ("owner",)
    search_fields = ("title", "owner__username", "code")
    inlines = [MessageInline]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("id", "conversation", "role", "status", "model", "tokens", "created")
    list_filter = ("role", "status", "model")
    list_select_related = ("conversation",)
    raw_id_fields = ("conversation",)
    # The request id finds an answer from a log line or the gateway's logs.
    search_fields = ("text", "conversation__title", "=request_id")
    readonly_fields = ("request_id", "heartbeat")

    @admin.display(description="tokens (prompt + completion)")
    def tokens(self, obj):
        if obj.prompt_tokens is None:
            return "—"
        return f"{obj.prompt_tokens} + {obj.completion_tokens}"


@admin.register(ImageAttachment)
class ImageAttachmentAdmin(admin.ModelAdmin):
    list_display = (
        "code", "name", "owner", "format", "dimensions", "size", "detail", "tokens", "created",
    )  # fmt: skip
    list_filter = ("format", "detail")
    list_select_related = ("owner",)
    raw_id_fields = ("owner", "message")
    search_fields = ("code", "name", "sha256", "source_url")

    @admin.display(description="pixels")
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}"


@admin.register(Derivative)
class DerivativeAdmin(admin.ModelAdmin):
    list_display = ("source", "kind", "mime", "dimensions", "size", "created")
    list_filter = ("kind", "mime")
    search_fields = ("source", "sha256")

    @admin.display(description="pixels")
    def dimensions(self, obj):
        return f"{obj.width}×{obj.height}"
