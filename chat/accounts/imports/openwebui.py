"""Open WebUI's chat export: a JSON list of chats, each with
chat.history.messages (id → {parentId, role, content, model, timestamp,
files}) and chat.history.currentId. Images are data: URIs in a message's files."""

from django.utils.translation import gettext

from chat.accounts.imports.parsed import (
    MAX_MESSAGES,
    ImportRefused,
    ParsedConversation,
    ParsedMessage,
    moment,
    ordered,
    text_of,
    too_many_messages,
)


def looks_like(data):
    return isinstance(data, list) and all(
        isinstance(c, dict) and isinstance(c.get("chat"), dict) for c in data
    )


def _images(message):
    files = message.get("files")
    if not isinstance(files, list):
        return []
    return [
        f["url"]
        for f in files
        if isinstance(f, dict) and f.get("type") == "image" and isinstance(f.get("url"), str)
        and f["url"].startswith("data:image/")
    ]  # fmt: skip


def parse(item, number):
    chat = item["chat"]
    title = item.get("title") or chat.get("title")
    if isinstance(title, str):
        where = gettext("chat %(number)s (“%(title)s”)") % {"number": number, "title": title}
    else:
        where = gettext("chat %(number)s") % {"number": number}
    history = chat.get("history")
    messages = history.get("messages") if isinstance(history, dict) else None
    if not isinstance(messages, dict):
        raise ImportRefused(
            gettext("%(where)s has no “history.messages”: not an Open WebUI export.")
            % {"where": where}
        )
    if len(messages) > MAX_MESSAGES:
        raise ImportRefused(too_many_messages(where))
    kept = {}
    for ref, message in messages.items():
        if not isinstance(message, dict):
            raise ImportRefused(
                gettext("%(where)s: a message is not an object.") % {"where": where}
            )
        role = message.get("role")
        if role not in ("user", "assistant"):
            continue
        parent = message.get("parentId")
        model = message.get("model") or ""
        kept[ref] = ParsedMessage(
            ref=ref, parent=parent if isinstance(parent, str) else None, role=role,
            text=text_of(message.get("content") or "", where).strip(),
            model=model if isinstance(model, str) else "",
            created=moment(message.get("timestamp")), images=_images(message),
        )  # fmt: skip
    current = history.get("currentId")
    models = chat.get("models")
    key = item.get("id")
    return ParsedConversation(
        key=f"openwebui:{key}" if isinstance(key, str) and key else "",
        title=title[:200] if isinstance(title, str) else "",
        created=moment(item.get("created_at") or chat.get("timestamp")),
        updated=moment(item.get("updated_at")),
        messages=ordered(kept, where),
        current=current if current in kept else None,
        model=models[0] if isinstance(models, list) and models and isinstance(models[0], str)
        else "",
    )  # fmt: skip
