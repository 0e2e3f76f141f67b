from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.timezone import now
from django.views.decorators.http import require_POST

from chat.models import Feedback, Message

MAX_COMMENT = 2000


@login_required
@require_POST
def feedback(request, pk):
    """The user's thumbs up or down and comment on one of their finished answers;
    an empty rating takes the feedback back."""
    answer = get_object_or_404(
        Message,
        pk=pk,
        role=Message.Role.ASSISTANT,
        conversation__owner=request.user,
        conversation__deleted=None,
    )
    if not answer.is_finished:
        return JsonResponse({"error": "Wait for the answer to finish."}, status=400)
    rating = request.POST.get("rating", "")
    comment = request.POST.get("comment", "").strip()
    if rating == "":
        Feedback.objects.filter(message=answer).delete()
        return JsonResponse({"rating": "", "comment": ""})
    if rating not in Feedback.Rating.values:
        return JsonResponse({"error": "Rate the answer up or down."}, status=400)
    if len(comment) > MAX_COMMENT:
        return JsonResponse(
            {"error": f"Comments can be at most {MAX_COMMENT:,} characters."}, status=400
        )
    stored = Feedback.objects.filter(message=answer).first() or Feedback(message=answer)
    stored.rating, stored.comment, stored.updated = rating, comment, now()
    stored.save()
    return JsonResponse({"rating": stored.rating, "comment": stored.comment})
