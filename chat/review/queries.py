"""The conversation list's figures and search, as a fixed number of queries
whatever the page size: each column is a correlated subquery that the
indexes named after it serve."""

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import (
    Aggregate,
    CharField,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from chat.models import Feedback, ImageAttachment, Message

SEARCH_CONFIG = "english"


class ModelsUsed(Aggregate):
    """The distinct models of a conversation's answers, comma-separated."""

    function = "GROUP_CONCAT"
    template = "%(function)s(%(distinct)s%(expressions)s)"
    allow_distinct = True
    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(distinct)s%(expressions)s, ',')",
            **extra,
        )


def _scalar(queryset, aggregate, field=None, group="conversation"):
    """One aggregate of rows that belong to the outer conversation."""
    field = field or IntegerField()
    return Coalesce(
        Subquery(
            queryset.order_by().values(group).annotate(x=aggregate).values("x")[:1],
            output_field=field,
        ),
        Value(0) if isinstance(field, IntegerField) else Value(""),
    )


def messages():
    return Message.objects.filter(conversation=OuterRef("pk"))


def with_figures(conversations):
    """Annotate what the list shows and sorts by."""
    images = ImageAttachment.objects.filter(message__conversation=OuterRef("pk"))
    feedback = Feedback.objects.filter(message__conversation=OuterRef("pk"))
    per = "message__conversation"
    tokens = Coalesce("prompt_tokens", 0) + Coalesce("completion_tokens", 0)
    return conversations.annotate(
        message_count=_scalar(messages(), Count("pk")),
        image_count=_scalar(images, Count("pk"), group=per),
        total_tokens=_scalar(messages(), Sum(tokens)),
        failed_count=_scalar(
            messages().filter(status__in=[Message.Status.ERROR, Message.Status.STOPPED]),
            Count("pk"),
        ),
        thumbs_up=_scalar(feedback.filter(rating=Feedback.Rating.UP), Count("pk"), group=per),
        thumbs_down=_scalar(feedback.filter(rating=Feedback.Rating.DOWN), Count("pk"), group=per),
        models_used=_scalar(
            messages().exclude(model=""), ModelsUsed("model", distinct=True), field=CharField()
        ),
    )


def search(conversations, terms):
    """Titles and message text: full-text search on PostgreSQL (the
    review_message_text_search index), a substring match elsewhere."""
    terms = terms.strip()
    if not terms:
        return conversations
    if connection.vendor == "postgresql":
        query = SearchQuery(terms, config=SEARCH_CONFIG, search_type="websearch")
        # One pass over the index for every matching message (IN, not a
        # per-conversation EXISTS, so the planner hashes it once).
        found = (
            Message.objects.annotate(found=SearchVector("text", config=SEARCH_CONFIG))
            .filter(found=query)
            .values("conversation_id")
        )
        return conversations.filter(Q(title__icontains=terms) | Q(pk__in=found))
    return conversations.filter(
        Q(title__icontains=terms) | Exists(messages().filter(text__icontains=terms))
    )
