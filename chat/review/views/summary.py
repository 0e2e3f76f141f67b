"""The summary page: a period's figures for conversations, the rubric's
scores and the pairs judged blind (summaries.py, rubric_summary.py,
pair_summary.py), with their charts."""

from django.template.response import TemplateResponse
from django.utils.timezone import now
from django.utils.translation import gettext

from chat.review import pair_summary, rubric_summary, summaries
from chat.review.permissions import require_review


def summary(model_admin, request):
    require_review(request)
    period = summaries.Period.from_request(request.GET, today=now().date())
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": gettext("Conversation summary"),
        "period": period,
        "summary": summaries.summarise(period),
        "rubric": rubric_summary.summarise(period),
        "pairs": pair_summary.summarise(period),
    }
    return TemplateResponse(request, "admin/review/summary.html", context)
