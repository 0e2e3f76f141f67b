from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from chat import studio
from chat.forms import (
    ConversationModelForm,
    ConversationSettingsForm,
    ImageHistoryForm,
    OlderMessagesForm,
)
from chat.gateway import catalog
from chat.live.paths import NotOnPath, path_page
from chat.models import Conversation, Preferences
from chat.views.access import form_error, form_errors, get_conversation_for_user
from chat.views.schemas import saved_schemas_of
from chat.views.sidebar import sidebar_page

LAST_CONVERSATION = "last_conversation"
IMAGE_HISTORY_CHOICES = ["all", "1", "3", "5", "10"]


def _image_history_label(value):
    if value == "all":
        return gettext("every turn")
    if value == "1":
        return gettext("last turn")
    return gettext("last %(turns)s turns") % {"turns": value}


def _start_conversation(user):
    """A new conversation with the model and settings the person used last."""
    preferences = Preferences.of(user)
    model = preferences.model
    if model not in catalog.ids():
        model = catalog.default()
    return Conversation.objects.create(
        owner=user,
        model=model,
        instructions=preferences.instructions,
        temperature=preferences.temperature,
        max_tokens=preferences.max_tokens,
    )


@login_required
@require_GET
def home(request):
    """Open the conversation the user had open last, or their most recent one."""
    conversations = Conversation.objects.for_user(request.user)
    conversation = (
        conversations.filter(code=request.session.get(LAST_CONVERSATION)).first()
        or conversations.order_by("-updated").first()
        or _start_conversation(request.user)
    )
    return redirect("chat-conversation", code=conversation.code)


@login_required
@require_POST
def new_conversation(request):
    # Reuse an untouched conversation rather than piling up empty ones.
    conversation = Conversation.objects.for_user(request.user).filter(
        messages__isnull=True
    ).first() or _start_conversation(request.user)
    return redirect("chat-conversation", code=conversation.code)


def _image_history_choices(conversation):
    """The usual choices, plus the conversation's own if an operator default set another."""
    current = str(conversation.image_history_turns or "all")
    values = (
        IMAGE_HISTORY_CHOICES
        if current in IMAGE_HISTORY_CHOICES
        else [*IMAGE_HISTORY_CHOICES, current]
    )
    return [(value, _image_history_label(value)) for value in values]


@login_required
@require_GET
def conversation(request, code):
    conversation = get_conversation_for_user(request, code)
    request.session[LAST_CONVERSATION] = str(conversation.code)
    model_ids = catalog.ids()
    latest = path_page(conversation)  # older messages come as the reader scrolls up
    context = {
        "conversation": conversation,
        "sidebar": sidebar_page(request.user),
        "messages": latest["messages"],
        "has_older": latest["older"],
        "model_choices": catalog.choices(),
        "selected_model": conversation.model if conversation.model in model_ids else model_ids[0],
        "limits": {
            "max_images": settings.IMAGES_PER_MESSAGE,
            "max_bytes": settings.IMAGE_MAX_BYTES,
            "max_document_bytes": settings.DOCUMENT_MAX_BYTES,
        },
        "image_history_choices": _image_history_choices(conversation),
        "image_history": str(conversation.image_history_turns or "all"),
        "settings_form": ConversationSettingsForm(instance=conversation),
        "studio": studio.page_config(conversation),
        "compare_blind": Preferences.of(request.user).compare_blind,
        "leaderboard_staff_only": settings.LEADERBOARD_STAFF_ONLY,
        "saved_schemas": saved_schemas_of(request.user),  # "Extract these fields…"
    }
    return render(request, "chat/conversation.html", context)


@login_required
@require_GET
def older_messages(request, code):
    """{"messages", "older"}: the page of the current path before the message
    ?before=<id>, for a reader scrolling up a long conversation."""
    conversation = get_conversation_for_user(request, code)
    form = OlderMessagesForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"error": form_error(form)}, status=400)
    try:
        return JsonResponse(path_page(conversation, before=form.cleaned_data["before"]))
    except NotOnPath:
        # Another tab switched versions: this page gets the new path by socket.
        return JsonResponse(
            {"error": gettext("That message is no longer on the version shown.")}, status=404
        )


@login_required
@require_POST
def image_history(request, code):
    """Set which earlier turns' images are sent again: "all" or a number of turns."""
    conversation = get_conversation_for_user(request, code)
    form = ImageHistoryForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": form_error(form)}, status=400)
    conversation.image_history_turns = form.cleaned_data["value"]
    conversation.save(update_fields=["image_history_turns"])
    return JsonResponse({"value": form.data["value"]})


def _save_and_remember(request, form, fields):
    """Save a valid form on the conversation, and remember the values as what
    the person used last; answer with the stored values or the errors."""
    if not form.is_valid():
        return JsonResponse({"error": form_errors(form)}, status=400)
    form.save()
    preferences = Preferences.of(request.user)
    for name in fields:
        setattr(preferences, name, form.cleaned_data[name])
    preferences.save(update_fields=fields)
    return JsonResponse({name: getattr(form.instance, name) for name in form.Meta.fields})


@login_required
@require_POST
def conversation_model(request, code):
    """The model picker: saved when changed, not only when a message is sent."""
    conversation = get_conversation_for_user(request, code)
    form = ConversationModelForm(request.POST, instance=conversation)
    return _save_and_remember(request, form, ["model"])


@login_required
@require_POST
def conversation_settings(request, code):
    conversation = get_conversation_for_user(request, code)
    form = ConversationSettingsForm(request.POST, instance=conversation)
    # The instructions belong to this conversation; the person's default
    # instructions are set on their settings page.
    return _save_and_remember(request, form, ["temperature", "max_tokens"])
