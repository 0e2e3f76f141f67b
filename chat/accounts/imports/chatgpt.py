"""ChatGPT's export: conversations.json, or conversations-000.json,
conversations-001.json, … in newer exports; each conversation a tree of
nodes ("mapping": id → {message, parent, children}) with "current_node" the
leaf on screen. Uploaded images are zip members named after their file id.

Nodes that are not a person's or the model's words (the root, system and
tool messages, hidden ones) are left out, their children hung on the nearest
kept ancestor, so branches stay versions."""

from django.utils.translation import gettext

from chat.accounts.imports.parsed import (
    MAX_MESSAGES,
    ImportRefused,
    ParsedConversation,
    ParsedMessage,
    in_a_circle,
    moment,
    ordered,
    text_of,
    too_many_messages,
)

ROLES = ("user", "assistant")


def looks_like(data):
    return isinstance(data, list) and all(isinstance(c, dict) and "mapping" in c for c in data)


def _content(message, where):
    """(text, [file ids]) of a message's content."""
    content = message.get("content")
    if not isinstance(content, dict):
        raise ImportRefused(gettext("%(where)s: a message has no “content”.") % {"where": where})
    texts, files = [], []
    parts = content.get("parts")
    if isinstance(parts, list):
        for part in parts:
            if isinstance(part, str):
                texts.append(text_of(part, where))
            elif isinstance(part, dict) and part.get("content_type") == "image_asset_pointer":
                pointer = part.get("asset_pointer")
                if isinstance(pointer, str) and "://" in pointer:
                    files.append(pointer.split("://", 1)[1])
    elif isinstance(content.get("text"), str):
        texts.append(text_of(content["text"], where))
    return "\n".join(t for t in texts if t), files


def parse(conversation, number):
    where = gettext("conversation %(number)s") % {"number": number}
    mapping = conversation.get("mapping")
    if not isinstance(mapping, dict):
        raise ImportRefused(
            gettext("%(where)s has no message tree (“mapping”): not a ChatGPT export.")
            % {"where": where}
        )
    if len(mapping) > MAX_MESSAGES * 2:
        raise ImportRefused(too_many_messages(where))
    title = conversation.get("title")
    if isinstance(title, str):
        where = gettext("conversation %(number)s (“%(title)s”)") % {
            "number": number,
            "title": title,
        }
    parents, kept = {}, {}
    for ref, node in mapping.items():
        if not isinstance(node, dict):
            raise ImportRefused(
                gettext("%(where)s: a node of its tree is not an object.") % {"where": where}
            )
        parent = node.get("parent")
        parents[ref] = parent if isinstance(parent, str) else None
        message = node.get("message")
        if not isinstance(message, dict):
            continue
        author = message.get("author")
        role = author.get("role") if isinstance(author, dict) else None
        metadata = message.get("metadata") if isinstance(message.get("metadata"), dict) else {}
        if role not in ROLES or metadata.get("is_visually_hidden_from_conversation"):
            continue
        text, files = _content(message, where)
        if not text.strip() and not files:
            continue
        model = metadata.get("model_slug") or ""
        kept[ref] = ParsedMessage(
            ref=ref, parent=None, role=role, text=text.strip(),
            model=model if isinstance(model, str) else "",
            created=moment(message.get("create_time")), images=files,
        )  # fmt: skip
    if len(kept) > MAX_MESSAGES:
        raise ImportRefused(too_many_messages(where))

    def kept_ancestor(ref):
        seen = set()
        ref = parents.get(ref)
        while ref is not None and ref not in kept:
            if ref in seen:
                raise ImportRefused(in_a_circle(where))
            seen.add(ref)
            ref = parents.get(ref)
        return ref

    for ref, message in kept.items():
        message.parent = kept_ancestor(ref)
    current = conversation.get("current_node")
    current = current if current in kept else kept_ancestor(current) if current else None
    key = conversation.get("conversation_id") or conversation.get("id")
    default_model = conversation.get("default_model_slug")
    return ParsedConversation(
        key=f"chatgpt:{key}" if isinstance(key, str) and key else "",
        title=title[:200] if isinstance(title, str) else "",
        created=moment(conversation.get("create_time")),
        updated=moment(conversation.get("update_time")),
        messages=ordered(kept, where),
        current=current,
        model=default_model if isinstance(default_model, str) else "",
    )
