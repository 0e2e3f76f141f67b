"""The pair pages inside the admin: "Judge next pair" claims the next
comparison pair, and the pair page shows its two answers blind (no model
names anywhere in the page) until the reviewer picks A, B or a tie; then it
shows who was who, the person's own pick and the other reviewers' judgements."""

from django.contrib import messages as notices
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from chat.review import access, pairs
from chat.review.models import AccessLog, PairItem
from chat.review.permissions import require_review


def next_pair(model_admin, request):
    require_review(request)
    item = pairs.claim_next(request.user)
    if item is None:
        notices.info(request, _("No comparison is waiting for your judgement."))
        return redirect(reverse("admin:review_pairitem_changelist") + "?done__isempty=1")
    return redirect(reverse("admin:review_pair", args=[item.pk]))


def pair_page(model_admin, request, item_id):
    require_review(request)
    item = get_object_or_404(
        PairItem.objects.select_related(
            "comparison__message", "comparison__conversation", "first", "second"
        ),
        pk=item_id,
    )
    if request.method == "POST":
        return _judge(request, item)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    conversation = item.comparison.conversation
    access.record(
        request, AccessLog.Kind.REVIEW_PAGE, what=f"pair {item.pk}: {conversation}",
        conversation=conversation,
    )  # fmt: skip
    judgments = list(item.judgments.select_related("reviewer"))
    mine = next((j for j in judgments if j.reviewer_id == request.user.pk), None)
    answer_a, answer_b = pairs.shown(item, request.user)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": _("Which answer is better?"),
        "item": item,
        "prompt": item.comparison.message,
        "answers": [("A", answer_a), ("B", answer_b)],
        "mine": mine,
    }
    if mine is not None:  # judged: nothing is hidden any more
        pick = item.comparison.pick_or_none()
        labels = {item.first_id: "A" if answer_a == item.first else "B",
                  item.second_id: "A" if answer_a == item.second else "B"}  # fmt: skip
        context.update({
            "conversation": conversation,
            "mine_label": _label(mine.value, item, labels),
            "pick": pick,
            "users_label": _label(pairs.users_value(item, pick), item, labels),
            "others": [(j, _label(j.value, item, labels)) for j in judgments if j is not mine],
        })  # fmt: skip
    return TemplateResponse(request, "admin/review/pair.html", context)


def _label(value, item, labels):
    """A judgement of the pair as this reviewer saw it: "A", "B", "tie" or None."""
    if value == "first":
        return labels[item.first_id]
    if value == "second":
        return labels[item.second_id]
    return value


def _judge(request, item):
    try:
        pairs.judge(
            item, request.user, request.POST.get("choice", ""), request.POST.get("reason", "")
        )
    except pairs.JudgmentRefused as refused:
        notices.error(request, str(refused))
    return redirect(reverse("admin:review_pair", args=[item.pk]))
