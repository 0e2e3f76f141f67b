"""The conversation's current path as the browser is sent it, a page at a time:
the latest messages when a page opens, older ones as the person scrolls up, and
what a page lacks when it resumes (the reply to a "resume" action).

The payloads themselves are chat/live/payloads.py's.
"""

from django.db.models import Q, prefetch_related_objects

from chat.compare import payloads as compared
from chat.live.payloads import message_payload

# A long conversation opens on its latest messages; older ones come a page at
# a time as the person scrolls up (chat/views/conversations.py: older_messages).
PAGE_SIZE = 50


class NotOnPath(Exception):
    """The message asked about is not on the conversation's current path."""


def _versions(conversation, parents=None):
    """{(parent id, role): [{"id", "model"}]} of the messages of the
    conversation (only those under `parents`, ids, when given), oldest first:
    the versions of each, in one query."""
    messages = conversation.messages.all()
    if parents is not None:
        under_parents = Q(parent_id__in=parents - {None})
        if None in parents:
            under_parents |= Q(parent__isnull=True)
        messages = messages.filter(under_parents)
    siblings = {}
    rows = messages.order_by("created", "id").values_list("pk", "parent_id", "role", "model")
    for pk, parent_id, role, model in rows:
        siblings.setdefault((parent_id, role), []).append({"id": pk, "model": model})
    return siblings


def path_payloads(conversation, path, *, versions=None):
    """The payloads of the messages of `path`, their versions found in one query."""
    if versions is None:
        versions = _versions(conversation, {m.parent_id for m in path})
    prefetch_related_objects(path, "feedback")  # the user's thumbs, shown again
    compared.prefetch(path)

    def payload_of(m):
        return message_payload(
            m, images=list(m.images.all()), versions=versions[(m.parent_id, m.role)]
        )

    payloads = [payload_of(m) for m in path]
    for message, payload in zip(path, payloads, strict=True):
        if message.comparison_id:  # every column of a comparison not picked yet
            compared.add_answers(payload, message, payload_of)
    return payloads


def path_page(conversation, *, before=None, size=PAGE_SIZE):
    """{"messages", "older"}: the payloads of the last `size` messages of the
    current path before the message `before` (default: to its end), and whether
    older ones remain. A fixed number of queries, however long the path."""
    ids = conversation.path_ids()
    if before is None:
        end = len(ids)
    elif before in ids:
        end = ids.index(before)
    else:
        raise NotOnPath(before)
    start = max(0, end - size)
    messages = conversation.messages_of(ids[start:end])
    return {"messages": path_payloads(conversation, messages), "older": start > 0}


def unseen_path(conversation, shown):
    """What a page showing `shown` lacks of the conversation's current path, as
    (after, payloads, older): the messages that follow the message `after`
    (None: from the first one sent), to replace what the page shows after it.

    `shown` is [(id, number of versions)] of the finished messages on the page,
    in order, possibly from the middle of the path (older ones not loaded). The
    run of them that matches the path (same ids, same number of versions) is
    kept; everything after it is sent, so a page that missed nothing gets
    nothing, and a streaming answer (never in `shown`) comes in its stored state.
    A page that keeps nothing, or lacks more than a page, is sent the latest
    page from the start instead, and `older` says whether messages remain above
    it (None when the page keeps what it shows).
    """
    conversation = type(conversation).objects.get(pk=conversation.pk)  # its current leaf now
    ids = conversation.path_ids()
    versions = _versions(conversation)
    version_key = {v["id"]: key for key, listed in versions.items() for v in listed}
    position = {pk: index for index, pk in enumerate(ids)}
    kept = 0
    if shown and shown[0][0] in position:
        kept = position[shown[0][0]]
        for message_id, count in shown:
            if kept == len(ids) or ids[kept] != message_id:
                break
            if len(versions[version_key[message_id]]) != count:
                break
            kept += 1
    if kept == 0 or len(ids) - kept > PAGE_SIZE:
        start = max(0, len(ids) - PAGE_SIZE)
        after, older = None, start > 0
    else:
        start = kept
        after, older = ids[kept - 1], None
    messages = conversation.messages_of(ids[start:])
    return after, path_payloads(conversation, messages, versions=versions), older
