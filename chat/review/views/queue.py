"""The work waiting for reviewers: the queue's next and skip, and the list of
conversations whose reviewers disagree."""

from django.contrib import messages as notices
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext

from chat.models import Conversation
from chat.review import agreement, queue
from chat.review.models import Decision, QueueItem
from chat.review.permissions import require_review


def queue_next(model_admin, request):
    require_review(request)
    item = queue.claim_next(request.user)
    if item is None:
        notices.info(request, gettext("The queue is empty: nothing left for you to review."))
        return redirect("admin:review_queueitem_changelist")
    return redirect(reverse("admin:chat_conversation_review", args=[item.conversation_id]))


def queue_skip(model_admin, request, item_id):
    require_review(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    item = get_object_or_404(QueueItem, pk=item_id)
    if queue.skip(item, request.user):
        notices.info(request, gettext("Skipped: it is back in the queue for someone else."))
    return redirect("admin:review_queue_next")


def disagreements(model_admin, request):
    require_review(request)
    rows = agreement.disagreements(Conversation.objects.select_related("owner", "review"))
    rows = rows.prefetch_related("decisions__reviewer").order_by("-updated")[:200]
    # Blind until given: only the conversations this reviewer decided show their votes.
    mine = set(
        Decision.objects.filter(reviewer=request.user).values_list("conversation", flat=True)
    )
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": gettext("Disagreements between reviewers"),
        "rows": [(c, c.pk in mine) for c in rows],
    }
    return TemplateResponse(request, "admin/review/disagreements.html", context)
