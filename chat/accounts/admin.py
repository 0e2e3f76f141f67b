"""Closed accounts in the admin: which accounts their owners closed (an
admin's deactivation leaves none), when, and when all they held goes or went.
Read-only: re-activating the user on their own page cancels the purge."""

from datetime import timedelta

from django.conf import settings
from django.contrib import admin
from django.utils.translation import pgettext_lazy

from chat.accounts.models import ClosedAccount


# The context is written out in each call: makemessages (xgettext) reads only a
# literal context, and drops the entry from the catalogue otherwise.
@admin.register(ClosedAccount)
class ClosedAccountAdmin(admin.ModelAdmin):
    list_display = ("user", "closed_on", "purge_on", "purged_on")
    list_select_related = ("user",)
    search_fields = ("user__username",)
    ordering = ("-closed",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(
        description=pgettext_lazy("the admin's list of closed accounts", "closed"),
        ordering="closed",
    )
    def closed_on(self, obj):
        return obj.closed

    @admin.display(
        description=pgettext_lazy("the admin's list of closed accounts", "everything deleted after")
    )
    def purge_on(self, obj):
        # The setting as it is now: the daily purge reads it, not the one at closing.
        return obj.closed + timedelta(days=settings.CLOSED_ACCOUNT_RETENTION_DAYS)

    @admin.display(
        description=pgettext_lazy("the admin's list of closed accounts", "deleted"),
        ordering="purged",
    )
    def purged_on(self, obj):
        return obj.purged or "—"
