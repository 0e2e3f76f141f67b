"""A conversation's review page: the transcript with every version and what
reviewers said of it, and its actions (decide, state, tag, verdict, correct
and approve a correction, score, boxes), each a POST back to the page."""

from django.contrib import messages as notices
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from chat.models import Conversation, ImageAttachment, Message
from chat.review import access, boxes, corrections, reviewing, rubrics, transcript
from chat.review.forms import BoxForm, CorrectionForm, DecisionForm, StateForm, TagForm, VerdictForm
from chat.review.models import (
    AccessLog,
    Correction,
    Decision,
    ImageBox,
    QueueItem,
    Review,
    Tag,
)
from chat.review.permissions import can_open_originals, require_review

SHORTCUTS = [
    ("a", gettext_lazy("approve (my decision)")),
    ("f", gettext_lazy("flag (my decision)")),
    ("n", gettext_lazy("review next in queue")),
    ("s", gettext_lazy("skip this queue item")),
    ("t", gettext_lazy("add a tag")),
    ("e", gettext_lazy("edit the note")),
    ("j / k", gettext_lazy("next / previous answer")),
    ("g / b", gettext_lazy("good / bad verdict on that answer")),
    ("c", gettext_lazy("write a correction of that answer")),
    ("o", gettext_lazy("open the first image")),
    (
        "r",
        gettext_lazy(
            "score that answer (then 1-5, y / n or a category's first letter; Enter saves)"
        ),
    ),
    ("?", gettext_lazy("show these shortcuts")),
]


def _conversation(object_id):
    return get_object_or_404(
        Conversation.objects.select_related("owner", "review", "review__updated_by"),
        pk=object_id,
    )


def _back(conversation, anchor=""):
    return redirect(reverse("admin:chat_conversation_review", args=[conversation.pk]) + anchor)


def review_page(model_admin, request, object_id):
    require_review(request)
    conversation = _conversation(object_id)
    if request.method == "POST":
        return _act(request, conversation)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET", "POST"])
    access.record(
        request, AccessLog.Kind.REVIEW_PAGE, what=f"review page: {conversation}",
        conversation=conversation,
    )  # fmt: skip
    messages = list(transcript.messages_for_review(conversation))
    transcript.mark_compared(messages, conversation.comparisons.select_related("pick"))
    sees_others = reviewing.can_see_others(conversation, request.user)
    for message in messages:
        verdicts = list(message.verdicts.all())
        message.my_verdict = next((v for v in verdicts if v.reviewer_id == request.user.pk), None)
        message.other_verdicts = [v for v in verdicts if v is not message.my_verdict]
        _show_corrections(message, request.user, sees_others)
        _show_boxes(message, request.user, sees_others)
    conversation_tags = list(conversation.tag_links.select_related("tag", "added_by"))
    dimensions = rubrics.dimensions()
    for message in messages:
        _show_rubric(message, dimensions, conversation_tags, request.user, sees_others)
    decisions = list(conversation.decisions.select_related("reviewer"))
    mine = next((d for d in decisions if d.reviewer_id == request.user.pk), None)
    item = QueueItem.objects.filter(conversation=conversation).first()
    review = getattr(conversation, "review", None)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": str(conversation),
        "conversation": conversation,
        "review": review,
        "branches": transcript.branches(messages, conversation.current_id),
        "tags": Tag.objects.all(),
        "conversation_tags": conversation_tags,
        "state_form": StateForm(
            initial={
                "state": review.state if review else Review.State.UNREVIEWED,
                "note": review.note if review else "",
            }
        ),  # fmt: skip
        "my_decision": mine,
        "other_decisions": [d for d in decisions if d is not mine] if sees_others else None,
        "hidden_decisions": 0 if sees_others else len(decisions) - (1 if mine else 0),
        "sees_others": sees_others,
        "queue_item": item,
        "my_claim": item and item.claimed_by_id == request.user.pk and not item.done,
        "activity": conversation.review_activity.select_related("actor")[:50],
        "can_open_originals": can_open_originals(request),
        "shortcuts": SHORTCUTS,
        "streaming": any(m.status == Message.Status.STREAMING for m in messages),
    }
    return TemplateResponse(request, "admin/review/conversation_review.html", context)


def _show_corrections(message, user, sees_others):
    """Mine and, once this reviewer has decided (blind reviews), the others'."""
    every = list(message.corrections.all())
    the_one = corrections.current(every)
    message.correction = the_one
    message.my_correction = next((c for c in every if c.author_id == user.pk), None)
    shown = [c for c in every if sees_others or c is message.my_correction]
    message.hidden_corrections = len(every) - len(shown)
    for c in shown:
        c.is_current = c is the_one
        c.diff = corrections.diff_html(message.text, c.text)
        c.preview = corrections.preview(c.text)
    message.shown_corrections = shown


def _show_boxes(message, user, sees_others):
    """Each image's boxes this reviewer may see, placed as percentages so the
    same box sits right on the thumbnail, the drawing copy and the viewer."""
    for image in message.images.all():
        every = list(image.review_boxes.all())
        image.shown_boxes = boxes.shown(every, user, sees_others)
        image.hidden_boxes = len(every) - len(image.shown_boxes)
        for box in image.shown_boxes:
            box.place = boxes.as_percent(box, image)
            box.mine = box.author_id == user.pk


def _tag_names(message, conversation_tags):
    return {link.tag.name for link in conversation_tags} | {
        link.tag.name for link in message.tag_links.all()
    }


def _show_rubric(message, dimensions, conversation_tags, user, sees_others):
    """The dimensions that apply to this answer, my score and (once decided) the others'."""
    names = _tag_names(message, conversation_tags)
    scores = list(message.scores.all())
    message.rubric = []
    for dimension in dimensions:
        if not rubrics.applies(dimension, message, names):
            continue
        mine = next(
            (
                s.value
                for s in scores
                if s.dimension_id == dimension.pk and s.reviewer_id == user.pk
            ),
            None,
        )
        others = [
            (s.reviewer.get_username(), s.value) for s in scores
            if s.dimension_id == dimension.pk and s.reviewer_id != user.pk
        ]  # fmt: skip
        message.rubric.append({
            "dimension": dimension, "choices": dimension.choices(), "mine": mine,
            "others": others if sees_others else [], "hidden": 0 if sees_others else len(others),
        })  # fmt: skip


def _message_of(conversation, request):
    return get_object_or_404(Message, pk=request.POST.get("message"), conversation=conversation)


def _act(request, conversation):
    """One POST from the review page: what changed, then back to the page."""
    action = request.POST.get("action")
    if action == "state":
        form = StateForm(request.POST)
        if not form.is_valid():
            notices.error(request, gettext("Choose a review state."))
            return _back(conversation)
        reviewing.set_state(conversation, request.user, **form.cleaned_data)
        notices.success(request, gettext("Review state saved."))
        return _back(conversation)
    if action == "decide":
        form = DecisionForm(request.POST)
        if not form.is_valid():
            notices.error(request, gettext("Approve or flag, with an optional note."))
            return _back(conversation)
        missing = _missing_scores(conversation, request.user)
        if missing:
            answer, dimension = missing[0]
            sentence = ngettext(
                "Score “%(dimension)s” on the answer of %(when)s first: it is required "
                "(%(missing)s required score missing).",
                "Score “%(dimension)s” on the answer of %(when)s first: it is required "
                "(%(missing)s required scores missing).",
                len(missing),
            )
            when = f"{answer.created:%Y-%m-%d %H:%M:%S}"
            values = {"dimension": dimension.name, "when": when, "missing": len(missing)}
            notices.error(request, sentence % values)
            return _back(conversation, f"#message-{answer.pk}")
        reviewing.decide(conversation, request.user, **form.cleaned_data)
        approved = form.cleaned_data["value"] == Decision.Value.APPROVE
        notices.success(
            request,
            gettext("Approved: your decision is recorded.")
            if approved
            else gettext("Flagged: your decision is recorded."),
        )
        if request.POST.get("then") == "next":
            return redirect("admin:review_queue_next")
        return _back(conversation)
    if action in ("tag", "untag"):
        form = TagForm(request.POST)
        if not form.is_valid():
            notices.error(
                request, gettext("Tags are lower-case words joined by hyphens, e.g. ocr-error.")
            )
            return _back(conversation)
        tag = form.tag(create=action == "tag")
        if tag is not None:
            if request.POST.get("message"):
                message = _message_of(conversation, request)
                reviewing.tag_message(message, tag, request.user, on=action == "tag")
                return _back(conversation, f"#message-{message.pk}")
            reviewing.tag_conversation(conversation, tag, request.user, on=action == "tag")
        return _back(conversation)
    if action == "verdict":
        message = _message_of(conversation, request)
        form = VerdictForm(request.POST)
        if message.role != Message.Role.ASSISTANT or not form.is_valid():
            notices.error(
                request, gettext("A verdict is good or bad, on an answer, with a short reason.")
            )
            return _back(conversation, f"#message-{message.pk}")
        reviewing.give_verdict(message, request.user, **form.cleaned_data)
        return _back(conversation, f"#message-{message.pk}")
    if action == "correct":
        message = _message_of(conversation, request)
        form = CorrectionForm(request.POST)
        if message.role != Message.Role.ASSISTANT:
            notices.error(request, gettext("Only an answer can be corrected."))
        elif not form.is_valid():
            notices.error(request, form.errors["text"][0])
        else:
            corrections.write(message, request.user, form.cleaned_data["text"])
            notices.success(
                request, gettext("Correction saved; it counts once a reviewer approves it.")
            )
        return _back(conversation, f"#message-{message.pk}")
    if action == "approve_correction":
        correction = get_object_or_404(
            Correction.objects.select_related("message", "author"),
            pk=request.POST.get("correction") or None, message__conversation=conversation,
        )  # fmt: skip
        corrections.approve(correction, request.user)
        notices.success(
            request, gettext("Correction approved: it is now this answer's correction.")
        )
        return _back(conversation, f"#message-{correction.message_id}")
    if action in ("box", "change_box", "delete_box"):
        return _act_on_box(request, conversation, action)
    if action == "score":
        message = _message_of(conversation, request)
        dimensions = rubrics.dimensions()
        values = {d.pk: request.POST[f"score-{d.pk}"] for d in dimensions
                  if f"score-{d.pk}" in request.POST}  # fmt: skip
        if message.role != Message.Role.ASSISTANT or not values:
            notices.error(request, gettext("Choose a score on an answer."))
            return _back(conversation, f"#message-{message.pk}")
        try:
            rubrics.score(message, request.user, values, dimensions)
        except rubrics.ScoreRefused as refused:
            notices.error(request, str(refused))
        else:
            notices.success(request, gettext("Scores saved."))
        return _back(conversation, f"#message-{message.pk}")
    notices.error(request, gettext("That action is not known."))
    return _back(conversation)


def _act_on_box(request, conversation, action):
    """Draw a box on an image of this conversation, or change or delete one's own."""
    if action == "box":
        image = get_object_or_404(
            ImageAttachment.objects.select_related("message"),
            code=request.POST.get("image") or None, message__conversation=conversation,
        )  # fmt: skip
        box = None
    else:
        box = get_object_or_404(
            ImageBox.objects.select_related("image__message"),
            pk=request.POST.get("box") or None, image__message__conversation=conversation,
        )  # fmt: skip
        image = box.image
    anchor = f"#image-{image.code}"
    try:
        if action == "delete_box":
            boxes.delete(box, request.user)
            notices.success(request, _("Box deleted."))
            return _back(conversation, anchor)
        form = BoxForm(request.POST)
        if not form.is_valid():
            notices.error(request, _("A box needs its left, top, width and height in pixels "
                                     "of the original, and a tag of lower-case words joined "
                                     "by hyphens, if any."))  # fmt: skip
            return _back(conversation, anchor)
        if box is None:
            boxes.draw(image, request.user, **form.fields_for_box())
            notices.success(request, _("Box saved."))
        else:
            boxes.change(box, request.user, **form.fields_for_box())
            notices.success(request, _("Box changed."))
    except boxes.BoxRefused as refused:
        notices.error(request, str(refused))
    return _back(conversation, anchor)


def _missing_scores(conversation, reviewer):
    """Required scores this reviewer has not given on the answers of the user's path."""
    dimensions = [d for d in rubrics.dimensions() if d.required]
    if not dimensions:
        return []
    answers = list(
        Message.objects.filter(
            pk__in=conversation.path_ids(), role=Message.Role.ASSISTANT,
            status=Message.Status.COMPLETE,
        ).prefetch_related("scores", "tag_links__tag").order_by("created", "id")
    )  # fmt: skip
    conversation_tags = list(conversation.tag_links.select_related("tag"))
    return rubrics.missing_required(
        answers, reviewer, dimensions, lambda m: _tag_names(m, conversation_tags)
    )


def correction_preview(model_admin, request):
    """The Markdown of a correction being written, as the sanitizer renders it."""
    require_review(request)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CorrectionForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"error": form.errors["text"][0]}, status=400)
    return JsonResponse({"html": corrections.preview(form.cleaned_data["text"])})
