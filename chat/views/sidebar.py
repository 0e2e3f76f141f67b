"""The sidebar: every conversation of the person, a page at a time as they
scroll, latest activity first; search over their own titles and message text;
rename and delete."""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from chat.compare.payloads import sidebar_notes
from chat.forms import RenameForm, SearchForm
from chat.live import turns
from chat.live.payloads import conversation_payload
from chat.models import Conversation
from chat.views.access import form_errors, get_conversation_for_user

PAGE_SIZE = 30


def sidebar_page(user, *, query="", after=None):
    """{"conversations": [...], "next": cursor or None}: the person's
    conversations with a message, latest activity first, PAGE_SIZE at a time
    after `after`, a cursor (updated, id) as SearchForm reads it from
    "<updated>|<id>"; `query` searches titles and text. Each says what its
    latest comparison of models was ("compared"), or null."""
    conversations = Conversation.objects.for_user(user).filter(messages__isnull=False)
    if query:
        conversations = conversations.filter(
            Q(title__icontains=query) | Q(messages__text__icontains=query)
        )
    if after:
        updated, pk = after
        conversations = conversations.filter(Q(updated__lt=updated) | Q(updated=updated, pk__lt=pk))
    page = list(conversations.distinct().order_by("-updated", "-pk")[: PAGE_SIZE + 1])
    more, page = len(page) > PAGE_SIZE, page[:PAGE_SIZE]
    notes = sidebar_notes([c.pk for c in page])
    return {
        "conversations": [{**conversation_payload(c), "compared": notes.get(c.pk)} for c in page],
        "next": f"{page[-1].updated.isoformat()}|{page[-1].pk}" if more else None,
    }


@login_required
@require_GET
def conversation_list(request):
    form = SearchForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form_errors(form)}, status=400)
    return JsonResponse(
        sidebar_page(request.user, query=form.cleaned_data["q"], after=form.cleaned_data["after"])
    )


@login_required
@require_POST
def rename(request, code):
    conversation = get_conversation_for_user(request, code)
    form = RenameForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": form_errors(form)}, status=400)
    turns.rename(conversation, form.cleaned_data["title"])
    return JsonResponse(conversation_payload(conversation))


@login_required
@require_POST
def delete(request, code):
    """Gone from the person's list and URLs (review keeps it); its sockets close."""
    conversation = get_conversation_for_user(request, code)
    turns.delete(conversation)
    return JsonResponse({"deleted": str(conversation.code), "next": reverse("chat-home")})
