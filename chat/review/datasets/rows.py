"""The selected conversations, read for a dataset in a fixed number of queries
whatever their number, and streamed: one query per kind of record (messages,
images, verdicts, corrections, tags...), each sorted by conversation and read
through a cursor in chunks, merged here one conversation at a time. Memory
holds one conversation's rows (and one chunk per query), never the selection.
"""

from dataclasses import dataclass, field
from datetime import datetime
from itertools import groupby

from django.db.models import Case, CharField, F, OuterRef, Q, Subquery, Value, When

from chat import images as chat_images
from chat.models import Conversation, Derivative, ImageAttachment, Message, Pick
from chat.review import transcript
from chat.review.models import (
    ConversationTag,
    Correction,
    Decision,
    ImageBox,
    MessageTag,
    Score,
    Verdict,
)

CHUNK = 500


@dataclass
class Image:
    pk: int
    code: str
    name: str
    width: int
    height: int
    detail: str  # as resolved: the kind of copy the model was sent
    sha256: str
    sent_file: str | None  # the derivative: what the model was sent
    sent_mime: str | None
    sent_width: int | None
    sent_height: int | None
    sent_size: int | None
    boxes: list = field(default_factory=list)

    def sent_bytes(self):
        """The copy the model was sent, made now if it never was (an image
        stored before derivatives were made at intake)."""
        if self.sent_file is None:
            attachment = ImageAttachment.objects.get(pk=self.pk)
            made = chat_images.derivative_for(attachment, self.detail)
            self.sent_file, self.sent_mime = made.file.name, made.mime
            self.sent_width, self.sent_height, self.sent_size = made.width, made.height, made.size
        from django.core.files.storage import default_storage

        with default_storage.open(self.sent_file, "rb") as f:
            return f.read()


@dataclass
class Box:
    """A box drawn in review, in the original's pixels."""

    x: int
    y: int
    w: int
    h: int
    tag: str
    note: str
    verdict: str
    author: str


@dataclass
class Corrected:
    author: str | None
    text: str
    status: str
    approved: datetime | None
    pk: int


@dataclass
class Msg:
    pk: int
    parent_id: int | None
    role: str
    status: str
    text: str
    model: str
    created: datetime
    rating: str | None  # the user's thumbs
    comparison_id: int | None = None  # an answer in a comparison of models
    images: list = field(default_factory=list)
    verdicts: list = field(default_factory=list)  # [(reviewer, value)]
    corrections: list = field(default_factory=list)
    tags: list = field(default_factory=list)
    scores: list = field(default_factory=list)  # [(dimension, value, reviewer)]

    @property
    def correction(self):
        """The latest approved correction's text, or None."""
        approved = [c for c in self.corrections if c.status == Correction.Status.APPROVED]
        best = max(approved, key=lambda c: (c.approved, c.pk), default=None)
        return best.text if best else None


@dataclass
class Item:
    pk: int
    code: str
    title: str
    model: str
    instructions: str
    current_id: int | None
    created: datetime
    owner: str
    state: str
    tags: list = field(default_factory=list)
    messages: list = field(default_factory=list)
    picks: list = field(default_factory=list)  # [winner's message id] of comparisons

    def path(self, leaf_id=None):
        """The messages of the user's path (or down to `leaf_id`), first to last."""
        parents = transcript.parents_of(self.messages)
        ids = transcript.path_ids(self.messages, parents, leaf_id or self.current_id)
        return [m for m in self.messages if m.pk in ids]


def _resolved_detail():
    """images.resolve_detail in SQL, so the sent copy is found in the same query."""
    return Case(
        When(detail__in=("low", "high"), then=F("detail")),
        When(Q(width__lte=512) & Q(height__lte=512), then=Value("low")),
        default=Value("high"),
        output_field=CharField(),
    )


def _sent(name):
    return Subquery(
        Derivative.objects.filter(source=OuterRef("sha256"), kind=OuterRef("kind")).values(name)[:1]
    )


def _streams(ids, reviewer=None):
    """(name, rows sorted by conversation, conversation key) for every kind of record."""
    by = "message__conversation_id"
    images = (
        ImageAttachment.objects.filter(message__conversation__in=ids)
        .annotate(kind=_resolved_detail())
        .annotate(
            s_file=_sent("file"),
            s_mime=_sent("mime"),
            s_width=_sent("width"),
            s_height=_sent("height"),
            s_size=_sent("size"),
        )  # fmt: skip
        .order_by(by, "message_id", "position", "created", "id")
        .values(
            "pk",
            "code",
            "name",
            "width",
            "height",
            "kind",
            "sha256",
            "message_id",
            by,
            "s_file",
            "s_mime",
            "s_width",
            "s_height",
            "s_size",
        )  # fmt: skip
    )
    return {
        "messages": (
            Message.objects.filter(conversation__in=ids)
            .order_by("conversation_id", "created", "id")
            .values(
                "pk",
                "conversation_id",
                "parent_id",
                "role",
                "status",
                "text",
                "model",
                "created",
                "feedback__rating",
                "comparison_id",
            ),  # fmt: skip
            "conversation_id",
        ),
        "images": (images, by),
        "verdicts": (
            Verdict.objects.filter(message__conversation__in=ids)
            .order_by(by, "id")
            .values("message_id", "value", "reviewer__username", by),
            by,
        ),
        "corrections": (
            Correction.objects.filter(message__conversation__in=ids)
            .order_by(by, "id")
            .values(
                "pk",
                "message_id",
                "text",
                "status",
                "approved",
                "author__username",
                "approved_by__username",
                by,
            ),  # fmt: skip
            by,
        ),
        "message_tags": (
            MessageTag.objects.filter(message__conversation__in=ids)
            .order_by(by, "tag__name")
            .values("message_id", "tag__name", by),
            by,
        ),
        "picks": (
            Pick.objects.filter(comparison__conversation__in=ids, outcome=Pick.Outcome.WINNER)
            .order_by("comparison__conversation_id", "id")
            .values("winner_id", "comparison__conversation_id"),
            "comparison__conversation_id",
        ),
        "conversation_tags": (
            ConversationTag.objects.filter(conversation__in=ids)
            .order_by("conversation_id", "tag__name")
            .values("conversation_id", "tag__name"),
            "conversation_id",
        ),
        **extra_streams(ids, by, reviewer),
    }


def extra_streams(ids, by, reviewer=None):
    """Rubric scores, boxes on images, and the conversations `reviewer` decided on."""
    streams = {
        "scores": (
            Score.objects.filter(message__conversation__in=ids)
            .order_by(by, "id")
            .values("message_id", "dimension__name", "value", "reviewer__username", by),
            by,
        ),
        "boxes": (
            ImageBox.objects.filter(image__message__conversation__in=ids)
            .order_by("image__message__conversation_id", "created", "id")
            .values(
                "image_id",
                "x",
                "y",
                "width",
                "height",
                "tag__name",
                "note",
                "verdict",
                "author__username",
                "image__message__conversation_id",
            ),  # fmt: skip
            "image__message__conversation_id",
        ),
    }
    if reviewer is not None:
        streams["decided"] = (
            Decision.objects.filter(conversation__in=ids, reviewer=reviewer)
            .order_by("conversation_id")
            .values("conversation_id"),
            "conversation_id",
        )
    return streams


class _Merge:
    """One sorted stream, read group by group as the conversations go by."""

    def __init__(self, rows, key):
        self.groups = groupby(rows.iterator(chunk_size=CHUNK), key=lambda r: r[key])
        self.pending = next(self.groups, None)

    def take(self, pk):
        """The rows of conversation `pk` (none if it has none); streams only move forward."""
        while self.pending is not None and self.pending[0] < pk:
            self.pending = next(self.groups, None)
        if self.pending is None or self.pending[0] != pk:
            return []
        rows = list(self.pending[1])
        self.pending = next(self.groups, None)
        return rows


def items(conversations, reviewer=None):
    """Item per conversation of the queryset `conversations`, in id order.

    Blind reviews: as on the review page and in the exports, a `reviewer` who
    has not decided on a conversation gets only their own verdicts,
    corrections, scores and boxes of it, so nothing a dataset keeps, leaves
    out or says in its report rests on labels they may not see yet. No
    reviewer (an operator's command): everyone's."""
    ids = conversations.values("pk")
    streams = {name: _Merge(rows, key) for name, (rows, key) in _streams(ids, reviewer).items()}
    head = (
        Conversation.objects.filter(pk__in=ids)
        .order_by("pk")
        .values(
            "pk",
            "code",
            "title",
            "model",
            "instructions",
            "current_id",
            "created",
            "owner__username",
            "review__state",
        )  # fmt: skip
    )
    for row in head.iterator(chunk_size=CHUNK):
        found = {name: stream.take(row["pk"]) for name, stream in streams.items()}
        if reviewer is not None and not found["decided"]:
            found = only_by(found, reviewer.get_username())
        yield build(row, found)


def only_by(found, username):
    """`found` with no other reviewer's labels in it: their own, and the
    corrections they approved (which they have read)."""
    for name, author in (
        ("verdicts", "reviewer__username"),
        ("scores", "reviewer__username"),
        ("boxes", "author__username"),
    ):
        found[name] = [r for r in found[name] if r[author] == username]
    found["corrections"] = [
        r for r in found["corrections"]
        if username in (r["author__username"], r["approved_by__username"])
    ]  # fmt: skip
    return found


def build(row, found):
    item = Item(
        pk=row["pk"], code=str(row["code"]), title=row["title"], model=row["model"],
        instructions=row["instructions"], current_id=row["current_id"], created=row["created"],
        owner=row["owner__username"], state=row["review__state"] or "unreviewed",
        tags=[r["tag__name"] for r in found["conversation_tags"]],
    )  # fmt: skip
    messages = {}
    for r in found["messages"]:
        messages[r["pk"]] = Msg(
            pk=r["pk"], parent_id=r["parent_id"], role=r["role"], status=r["status"],
            text=r["text"], model=r["model"], created=r["created"], rating=r["feedback__rating"],
            comparison_id=r["comparison_id"],
        )  # fmt: skip
    item.messages = list(messages.values())
    item.picks = [r["winner_id"] for r in found["picks"]]
    for r in found["images"]:
        messages[r["message_id"]].images.append(Image(
            pk=r["pk"], code=str(r["code"]), name=r["name"], width=r["width"],
            height=r["height"], detail=r["kind"], sha256=r["sha256"], sent_file=r["s_file"],
            sent_mime=r["s_mime"], sent_width=r["s_width"], sent_height=r["s_height"],
            sent_size=r["s_size"],
        ))  # fmt: skip
    for r in found["verdicts"]:
        messages[r["message_id"]].verdicts.append((r["reviewer__username"], r["value"]))
    for r in found["corrections"]:
        messages[r["message_id"]].corrections.append(Corrected(
            author=r["author__username"], text=r["text"], status=r["status"],
            approved=r["approved"], pk=r["pk"],
        ))  # fmt: skip
    for r in found["message_tags"]:
        messages[r["message_id"]].tags.append(r["tag__name"])
    attach_extras(item, messages, found)
    return item


def attach_extras(item, messages, found):
    """Rubric scores onto the messages, boxes onto their images."""
    for r in found["scores"]:
        messages[r["message_id"]].scores.append(
            (r["dimension__name"], r["value"], r["reviewer__username"])
        )
    images = {image.pk: image for m in messages.values() for image in m.images}
    for r in found["boxes"]:
        images[r["image_id"]].boxes.append(Box(
            x=r["x"], y=r["y"], w=r["width"], h=r["height"], tag=r["tag__name"] or "",
            note=r["note"], verdict=r["verdict"], author=r["author__username"],
        ))  # fmt: skip
