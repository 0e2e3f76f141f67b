"""Corrected answers: written by reviewers, approved by a reviewer, shown as a
diff against the original, which is never changed.

"The" correction of an answer is the latest approved one (`current`); datasets
put it in place of the answer, exports carry all of them.
"""

import difflib
import re

from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.timezone import now

from chat import markdown
from chat.review.models import Activity, Correction

MAX_CHARS = 20_000
_TOKENS = re.compile(r"\s+|[^\s]+")


def write(message, author, text):
    """Save `author`'s correction of `message` (one each; editing it again
    asks for a new approval, since the approved text is no longer the text)."""
    with transaction.atomic():
        correction, created = Correction.objects.get_or_create(
            message=message, author=author, defaults={"text": text}
        )
        if not created and correction.text != text:
            correction.text, correction.updated = text, now()
            correction.status, correction.approved_by, correction.approved = (
                Correction.Status.PROPOSED, None, None,
            )  # fmt: skip
            correction.save(update_fields=["text", "updated", "status", "approved_by", "approved"])
        Activity.objects.create(
            conversation_id=message.conversation_id, message=message, actor=author,
            # No text here: the history is shown to reviewers who have not decided yet.
            action="correction written" if created else "correction edited",
        )  # fmt: skip
    return correction


def approve(correction, reviewer):
    """Make `correction` the answer's correction (the latest approved wins)."""
    correction.status, correction.approved_by, correction.approved = (
        Correction.Status.APPROVED, reviewer, now(),
    )  # fmt: skip
    correction.save(update_fields=["status", "approved_by", "approved"])
    Activity.objects.create(
        conversation_id=correction.message.conversation_id, message=correction.message,
        actor=reviewer, action="correction approved",
        value=f"by {correction.author.get_username() if correction.author else '—'}",
    )  # fmt: skip


def current(corrections):
    """The latest approved of an answer's corrections (an iterable), or None."""
    approved = [c for c in corrections if c.status == Correction.Status.APPROVED]
    return max(approved, key=lambda c: (c.approved, c.pk), default=None)


def preview(text):
    """The correction's Markdown through the chat page's sanitizer."""
    return markdown.render(text)


def diff_html(original, corrected):
    """Word-level diff as HTML: removed words in <del>, added ones in <ins>."""
    old, new = _TOKENS.findall(original), _TOKENS.findall(corrected)
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(escape("".join(old[a1:a2])))
            continue
        if a2 > a1:
            parts.append(f"<del>{escape(''.join(old[a1:a2]))}</del>")
        if b2 > b1:
            parts.append(f"<ins>{escape(''.join(new[b1:b2]))}</ins>")
    return mark_safe("".join(parts))  # every piece escaped above
