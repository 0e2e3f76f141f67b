"""Who may see what: the review permission for transcripts and derivatives;
originals have their own (chat.view_original_image, checked by chat's view)."""

from django.core.exceptions import PermissionDenied

REVIEW = "chat.review_conversation"
ORIGINALS = "chat.view_original_image"


def can_review(request):
    user = request.user
    return user.is_active and user.is_staff and user.has_perm(REVIEW)


def require_review(request):
    """For the review pages: 403 for staff without the review permission."""
    if not can_review(request):
        raise PermissionDenied


def can_open_originals(request):
    user = request.user
    return user.is_active and user.is_staff and user.has_perm(ORIGINALS)


class ReadOnlyForEveryone:
    """What users and models said is never edited from the admin, by anyone."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReviewersOnly(ReadOnlyForEveryone):
    def has_view_permission(self, request, obj=None):
        return can_review(request)

    def has_module_permission(self, request):
        return can_review(request)
