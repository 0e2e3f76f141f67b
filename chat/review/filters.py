"""The conversation list's filters."""

from django.contrib import admin
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy

from chat.models import Feedback, Message
from chat.review.models import ConversationTag, MessageTag, Review, Tag


class ModelFilter(admin.SimpleListFilter):
    title = gettext_lazy("model")
    parameter_name = "model"

    def lookups(self, request, model_admin):
        # Every model that answered, not only each conversation's last pick: a
        # regenerated answer may come from another model.
        answered = Message.objects.exclude(model="").values_list("model", flat=True)
        return [(m, m) for m in sorted(set(answered.order_by().distinct()))]

    def queryset(self, request, queryset):
        if self.value():
            answered = Message.objects.filter(conversation=OuterRef("pk"), model=self.value())
            return queryset.filter(Exists(answered))
        return queryset


class ReviewStateFilter(admin.SimpleListFilter):
    title = gettext_lazy("review state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return Review.State.choices

    def queryset(self, request, queryset):
        if self.value() == Review.State.UNREVIEWED:
            return queryset.filter(Q(review=None) | Q(review__state=self.value()))
        if self.value():
            return queryset.filter(review__state=self.value())
        return queryset


class TagFilter(admin.SimpleListFilter):
    title = gettext_lazy("tag (conversation or message)")
    parameter_name = "tag"

    def lookups(self, request, model_admin):
        return [(t.name, t.name) for t in Tag.objects.all()]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        on_conversation = ConversationTag.objects.filter(
            conversation=OuterRef("pk"), tag__name=self.value()
        )
        on_message = MessageTag.objects.filter(
            message__conversation=OuterRef("pk"), tag__name=self.value()
        )
        return queryset.filter(Exists(on_conversation) | Exists(on_message))


class ErrorsFilter(admin.SimpleListFilter):
    title = gettext_lazy("failed or stopped answers")
    parameter_name = "errors"

    def lookups(self, request, model_admin):
        return [("error", "failed"), ("stopped", "stopped"), ("none", "none")]

    def queryset(self, request, queryset):
        if self.value() in ("error", "stopped"):
            found = Message.objects.filter(conversation=OuterRef("pk"), status=self.value())
            return queryset.filter(Exists(found))
        if self.value() == "none":
            bad = Message.objects.filter(
                conversation=OuterRef("pk"),
                status__in=[Message.Status.ERROR, Message.Status.STOPPED],
            )
            return queryset.exclude(Exists(bad))
        return queryset


class ThumbsFilter(admin.SimpleListFilter):
    title = gettext_lazy("user's thumbs")
    parameter_name = "thumbs"

    def lookups(self, request, model_admin):
        return [("down", "thumbed down"), ("up", "thumbed up"), ("none", "no thumbs")]

    def queryset(self, request, queryset):
        given = Feedback.objects.filter(message__conversation=OuterRef("pk"))
        if self.value() in Feedback.Rating.values:
            return queryset.filter(Exists(given.filter(rating=self.value())))
        if self.value() == "none":
            return queryset.exclude(Exists(given))
        return queryset


class DeletedFilter(admin.SimpleListFilter):
    title = gettext_lazy("deleted by its user")
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("yes", "deleted"), ("no", "not deleted")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(deleted=None)
        if self.value() == "no":
            return queryset.filter(deleted=None)
        return queryset
