from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.timezone import now
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from chat.forms import FeedbackForm
from chat.models import Feedback, Message
from chat.views.access import form_error


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
        return JsonResponse({"error": gettext("Wait for the answer to finish.")}, status=400)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": form_error(form)}, status=400)
    rating, comment = form.cleaned_data["rating"], form.cleaned_data["comment"]
    if rating == "":
        Feedback.objects.filter(message=answer).delete()
        return JsonResponse({"rating": "", "comment": ""})
    stored = Feedback.objects.filter(message=answer).first() or Feedback(message=answer)
    stored.rating, stored.comment, stored.updated = rating, comment, now()
    stored.save()
    return JsonResponse({"rating": stored.rating, "comment": stored.comment})
