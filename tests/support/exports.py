"""Exports as ChatGPT and Open WebUI write them, made in the tests."""

import base64
import io
import json
import zipfile

from tests.support.images import image_bytes

CAT = image_bytes("PNG", size=(64, 48), color=(10, 120, 200))


def node(ref, parent, role, parts, *, children=(), model="gpt-4o", at=1_700_000_000,
         content_type="text", hidden=False):  # fmt: skip
    message = None
    if role:
        message = {
            "id": ref, "author": {"role": role}, "create_time": at,
            "content": {"content_type": content_type, "parts": parts},
            "metadata": {"model_slug": model, "is_visually_hidden_from_conversation": hidden},
        }  # fmt: skip
    return ref, {"id": ref, "message": message, "parent": parent, "children": list(children)}


def chatgpt_branched(conversation_id="conv-1"):
    """A root, a hidden system message, a question with an image, two answers
    (the second a regeneration, the one on screen), and a follow-up."""
    picture = {"content_type": "image_asset_pointer", "asset_pointer": "file-service://file-cat1",
               "width": 64, "height": 48}  # fmt: skip
    mapping = dict([
        node("root", None, None, None, children=["sys"]),
        node("sys", "root", "system", [""], children=["q1"], hidden=True),
        node("q1", "sys", "user", [picture, "What is in this picture?"], children=["a1", "a2"],
             content_type="multimodal_text", at=1_700_000_010),
        node("a1", "q1", "assistant", ["A blue square."], at=1_700_000_020),
        node("a2", "q1", "assistant", ["A **blue** rectangle."], children=["q2"],
             at=1_700_000_030),
        node("q2", "a2", "user", ["How wide?"], children=["a3"], at=1_700_000_040),
        node("a3", "q2", "assistant", ["64 pixels."], model="gpt-4o-mini", at=1_700_000_050),
    ])  # fmt: skip
    return {"title": "Blue picture", "create_time": 1_700_000_000, "update_time": 1_700_000_050,
            "mapping": mapping, "current_node": "a3", "conversation_id": conversation_id,
            "default_model_slug": "gpt-4o"}  # fmt: skip


def chatgpt_simple(conversation_id="conv-2", title="Hello"):
    mapping = dict([
        node("r", None, None, None, children=["u"]),
        node("u", "r", "user", ["Hi"], children=["b"]),
        node("b", "u", "assistant", ["Hello!"]),
    ])  # fmt: skip
    return {"title": title, "create_time": 1_700_000_100, "mapping": mapping,
            "current_node": "b", "conversation_id": conversation_id}  # fmt: skip


def chatgpt_zip(*files, images=None):
    """A zip with conversations-000.json, -001.json, … (one list each) and images."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for number, conversations in enumerate(files):
            archive.writestr(f"conversations-{number:03d}.json", json.dumps(conversations))
        for name, data in ({"file-cat1-cat.png": CAT} if images is None else images).items():
            archive.writestr(name, data)
        archive.writestr("chat.html", "<html></html>")
    return out.getvalue()


def openwebui_export():
    """One chat: a question with an image, edited once (two versions), each answered."""
    uri = "data:image/png;base64," + base64.b64encode(CAT).decode()
    messages = {
        "u1": {"id": "u1", "parentId": None, "childrenIds": ["b1"], "role": "user",
               "content": "Describe it", "timestamp": 1_700_000_000,
               "files": [{"type": "image", "url": uri}]},
        "b1": {"id": "b1", "parentId": "u1", "childrenIds": [], "role": "assistant",
               "content": "A square.", "model": "llava:13b", "timestamp": 1_700_000_001},
        "u2": {"id": "u2", "parentId": None, "childrenIds": ["b2"], "role": "user",
               "content": "Describe it in detail", "timestamp": 1_700_000_002},
        "b2": {"id": "b2", "parentId": "u2", "childrenIds": [], "role": "assistant",
               "content": "A small blue square, 64 by 48.", "model": "llava:13b",
               "timestamp": 1_700_000_003},
    }  # fmt: skip
    chat = {"title": "Square", "models": ["llava:13b"],
            "history": {"messages": messages, "currentId": "b2"}}  # fmt: skip
    return json.dumps([{"id": "owui-1", "title": "Square", "created_at": 1_700_000_000,
                        "updated_at": 1_700_000_003, "chat": chat}]).encode()  # fmt: skip
