"""Conversations out of the admin: JSON Lines (streamed), one self-contained
HTML file per conversation, and the review labels as CSV."""

import csv
import io
import json

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse

from chat import images
from chat.models import Comparison, Message
from chat.review import corrections, transcript
from chat.review.models import (
    ConversationTag,
    Correction,
    Decision,
    ImageBox,
    MessageTag,
    PairJudgment,
    Verdict,
)

CHUNK = 100


def _when(moment):
    return moment.isoformat() if moment else None


def with_everything(conversations):
    """The prefetches an export needs, a fixed number of queries per chunk."""
    messages = Message.objects.select_related("feedback").prefetch_related(
        "images",
        Prefetch("images__review_boxes", queryset=ImageBox.objects.select_related("tag", "author")),
        Prefetch("tag_links", queryset=MessageTag.objects.select_related("tag", "added_by")),
        Prefetch("verdicts", queryset=Verdict.objects.select_related("reviewer")),
        Prefetch(
            "corrections", queryset=Correction.objects.select_related("author", "approved_by")
        ),
    )
    return conversations.select_related("owner", "review", "review__updated_by").prefetch_related(
        Prefetch("messages", queryset=messages),
        Prefetch("tag_links", queryset=ConversationTag.objects.select_related("tag", "added_by")),
        Prefetch("decisions", queryset=Decision.objects.select_related("reviewer")),
        Prefetch(
            "comparisons",
            queryset=Comparison.objects.select_related("pick", "pair_item").prefetch_related(
                Prefetch(
                    "pair_item__judgments",
                    queryset=PairJudgment.objects.select_related("reviewer"),
                ),
                Prefetch("answers", queryset=Message.objects.only("pk", "model", "comparison")),
            ),
        ),
    )


def _name(user):
    return user.get_username() if user else None


def _box(box):
    """A box drawn in review: [x, y, width, height] in the original's pixels."""
    return {"bbox": [box.x, box.y, box.width, box.height], "label": box.label,
            "verdict": box.verdict, "note": box.note, "author": _name(box.author),
            "created": _when(box.created), "updated": _when(box.updated)}  # fmt: skip


def _image(attachment, base_url, shown=lambda author_id: True):
    def link(name):
        return base_url + reverse(name, args=[attachment.code])

    return {
        "id": str(attachment.code), "name": attachment.name, "format": attachment.format,
        "width": attachment.width, "height": attachment.height, "bytes": attachment.size,
        "frames": attachment.frames, "detail": attachment.detail, "tokens": attachment.tokens,
        "sha256": attachment.sha256, "source_url": attachment.source_url,
        "links": {"image": link("chat-image"), "thumbnail": link("chat-image-thumbnail"),
                  "original": link("chat-image-original")},
        "boxes": [_box(b) for b in attachment.review_boxes.all() if shown(b.author_id)],
    }  # fmt: skip


def _feedback(message):
    feedback = getattr(message, "feedback", None)
    if feedback is None:
        return None
    return {"rating": feedback.rating, "comment": feedback.comment,
            "created": _when(feedback.created), "updated": _when(feedback.updated)}  # fmt: skip


def _correction(c):
    return {"author": _name(c.author), "text": c.text, "status": c.status,
            "approved_by": _name(c.approved_by), "approved": _when(c.approved),
            "created": _when(c.created), "updated": _when(c.updated)}  # fmt: skip


def shown_to(conversation, reviewer):
    """Whose labels `reviewer` may read in an export of `conversation`, as on
    the review page (reviewing.can_see_others): everyone's once they decided,
    until then only their own. No reviewer (an operator's command): everyone's."""
    if reviewer is None:
        return lambda author_id: True
    sees_others = any(d.reviewer_id == reviewer.pk for d in conversation.decisions.all())
    return lambda author_id: sees_others or author_id == reviewer.pk


def _pair_item(comparison):
    try:
        return comparison.pair_item
    except Comparison.pair_item.RelatedObjectDoesNotExist:
        return None


def judgments_shown(comparison, shown, reviewer):
    """The reviewers' blind judgements of a comparison's pair that `reviewer`
    may read: as for decisions, and every one once they judged the pair."""
    item = _pair_item(comparison)
    if item is None:
        return []
    every = list(item.judgments.all())
    judged = reviewer is not None and any(j.reviewer_id == reviewer.pk for j in every)
    return [j for j in every if judged or shown(j.reviewer_id)]


def _preferred(item, judgment):
    """The answer a judgement preferred, or None for a tie."""
    return {"first": item.first_id, "second": item.second_id}.get(judgment.value)


def _comparison(comparison, shown, reviewer):
    """A comparison as it was: the question, the columns in order, the person's
    pick, and the reviewers' blind judgements of its pair."""
    pick = comparison.pick_or_none()
    item = _pair_item(comparison)
    columns = sorted(comparison.answers.all(), key=lambda m: m.pk)
    return {
        "id": comparison.pk, "question": comparison.message_id, "blind": comparison.blind,
        "created": _when(comparison.created),
        "columns": [{"answer": m.pk, "model": m.model} for m in columns],
        "pick": pick and {"outcome": pick.outcome, "winner": pick.winner_id,
                          "winner_model": pick.winner_model or None, "blind": pick.blind,
                          "reason": pick.reason, "created": _when(pick.created)},
        "review_pair": item and {
            "answers": [item.first_id, item.second_id], "reason": item.reason,
            "judgments": [{"reviewer": _name(j.reviewer), "preferred": _preferred(item, j),
                           "tie": j.value == "tie", "reason": j.reason,
                           "created": _when(j.created)}
                          for j in judgments_shown(comparison, shown, reviewer)],
        },
    }  # fmt: skip


def _message(message, base_url, shown):
    return {
        "id": message.pk, "role": message.role, "status": message.status,
        "text": message.text, "model": message.model, "created": _when(message.created),
        "prompt_tokens": message.prompt_tokens, "completion_tokens": message.completion_tokens,
        "first_token_ms": message.first_token_ms, "total_ms": message.total_ms,
        "finish_reason": message.finish_reason, "error_code": message.error_code,
        "error": message.error, "http_status": message.http_status,
        "dropped_turns": message.dropped_turns, "dropped_images": message.dropped_images,
        "parent": getattr(message, "parent_id", None),
        "images": [_image(a, base_url, shown) for a in message.images.all()],
        "tags": [link.tag.name for link in message.tag_links.all()],
        "verdicts": [{"reviewer": _name(v.reviewer), "value": v.value, "reason": v.reason,
                      "created": _when(v.created)} for v in message.verdicts.all()
                     if shown(v.reviewer_id)],
        "user_feedback": _feedback(message),
        "corrections": [_correction(c) for c in message.corrections.all() if shown(c.author_id)],
        # The latest approved correction: what a dataset puts in place of the text.
        "correction": getattr(_current(message, shown), "text", None),
    }  # fmt: skip


def record(conversation, base_url="", reviewer=None):
    """One conversation as a JSON-ready dict: transcript, metadata, review, feedback;
    others' decisions, verdicts and corrections only if `reviewer` may see them."""
    review = getattr(conversation, "review", None)
    shown = shown_to(conversation, reviewer)
    return {
        "id": str(conversation.code), "title": conversation.title,
        "owner": _name(conversation.owner), "model": conversation.model,
        "created": _when(conversation.created), "updated": _when(conversation.updated),
        "deleted_by_user": _when(conversation.deleted),
        # The last message of the path the user ended on; "parent" makes the tree.
        "current": conversation.current_id,
        "review": {
            "state": review.state if review else "unreviewed",
            "note": review.note if review else "",
            "updated_by": _name(review.updated_by) if review else None,
            "updated": _when(review.updated) if review else None,
            "tags": [link.tag.name for link in conversation.tag_links.all()],
            "decisions": [{"reviewer": _name(d.reviewer), "value": d.value, "note": d.note,
                           "created": _when(d.created)} for d in conversation.decisions.all()
                          if shown(d.reviewer_id)],
        },
        "messages": [_message(m, base_url, shown) for m in conversation.messages.all()],
        "comparisons": [_comparison(c, shown, reviewer) for c in conversation.comparisons.all()],
    }  # fmt: skip


def jsonl(conversations, base_url="", reviewer=None):
    """Lines of JSON, one conversation each, read from the database in chunks."""
    for conversation in with_everything(conversations).iterator(chunk_size=CHUNK):
        yield json.dumps(record(conversation, base_url, reviewer), ensure_ascii=False) + "\n"


def _current(message, shown):
    """The answer's correction as `shown` lets its reader see it: among the
    corrections they may read or approved themselves (blind reviews)."""
    return corrections.current(
        c for c in message.corrections.all() if shown(c.author_id) or shown(c.approved_by_id)
    )


def html(conversation, reviewer=None):
    """A standalone page: no script, no outside request, the images inline as
    the derivatives the model was sent (never the originals). The path the
    user ended on first, every version labelled, then the branches left; the
    correction only if `reviewer` may see it (shown_to)."""
    shown = shown_to(conversation, reviewer)
    messages = list(conversation.messages.all())
    transcript.mark_compared(messages, conversation.comparisons.all())
    for message in messages:
        message.inline_images = [
            (a, images.data_uri(images.derivative_for(a))) for a in message.images.all()
        ]
        message.tag_names = [link.tag.name for link in message.tag_links.all()]
        message.correction = _current(message, shown)
        if message.correction:
            message.correction_html = corrections.preview(message.correction.text)
    return render_to_string(
        "admin/review/export_conversation.html",
        {
            "conversation": conversation,
            "branches": transcript.branches(messages, conversation.current_id),
        },
    )


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell a spreadsheet would run as a formula is made plain text."""
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


class _Echo:
    def write(self, value):
        return value


def csv_rows(header, rows):
    """Stream rows as CSV, every cell neutralised."""
    writer = csv.writer(_Echo())
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


LABEL_HEADER = ["conversation", "owner", "message", "kind", "value", "note", "by", "when"]


def label_rows(conversations, reviewer=None):
    """Every review label, one per line: state, tags, verdicts, decisions,
    and the users' own thumbs (kind "user_feedback", kept apart); others'
    decisions, verdicts and corrections only if `reviewer` may see them."""
    for c in with_everything(conversations).iterator(chunk_size=CHUNK):
        code, owner = str(c.code), _name(c.owner)
        shown = shown_to(c, reviewer)
        review = getattr(c, "review", None)
        if review:
            yield [code, owner, "", "state", review.state, review.note,
                   _name(review.updated_by), _when(review.updated)]  # fmt: skip
        for link in c.tag_links.all():
            yield [code, owner, "", "tag", link.tag.name, "", _name(link.added_by),
                   _when(link.created)]  # fmt: skip
        for d in (d for d in c.decisions.all() if shown(d.reviewer_id)):
            yield [code, owner, "", "decision", d.value, d.note, _name(d.reviewer),
                   _when(d.created)]  # fmt: skip
        for comparison in c.comparisons.all():
            yield from _comparison_rows(code, owner, comparison, shown, reviewer)
        for m in c.messages.all():
            for link in m.tag_links.all():
                yield [code, owner, m.pk, "message_tag", link.tag.name, "",
                       _name(link.added_by), _when(link.created)]  # fmt: skip
            for v in (v for v in m.verdicts.all() if shown(v.reviewer_id)):
                yield [code, owner, m.pk, "verdict", v.value, v.reason, _name(v.reviewer),
                       _when(v.created)]  # fmt: skip
            for fix in (f for f in m.corrections.all() if shown(f.author_id)):
                yield [code, owner, m.pk, "correction", fix.text, fix.status, _name(fix.author),
                       _when(fix.updated)]  # fmt: skip
            feedback = getattr(m, "feedback", None)
            if feedback:
                yield [code, owner, m.pk, "user_feedback", feedback.rating, feedback.comment,
                       owner, _when(feedback.updated)]  # fmt: skip


def _comparison_rows(code, owner, comparison, shown, reviewer):
    """The person's pick ("user_pick", the winner's model or the outcome) and
    the reviewers' blind judgements ("pair_judgment", the preferred model or tie)."""
    pick = comparison.pick_or_none()
    if pick:
        yield [code, owner, pick.winner_id or comparison.message_id, "user_pick",
               pick.winner_model or pick.outcome, pick.reason, owner,
               _when(pick.created)]  # fmt: skip
    item = _pair_item(comparison)
    models = {m.pk: m.model for m in comparison.answers.all()}
    for j in judgments_shown(comparison, shown, reviewer):
        preferred = _preferred(item, j)
        yield [code, owner, preferred or comparison.message_id, "pair_judgment",
               models.get(preferred, "tie"), j.reason, _name(j.reviewer),
               _when(j.created)]  # fmt: skip


def zip_of_html(conversations, reviewer=None):
    """Several HTML exports as one zip file's bytes."""
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for conversation in with_everything(conversations):
            archive.writestr(f"conversation-{conversation.code}.html", html(conversation, reviewer))
    return buffer.getvalue()
