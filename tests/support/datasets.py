"""Making datasets through the conversation list's action, as a reviewer does."""

import io
import json

from chat.models import Message
from chat.review.models import DatasetExport

LIST = "/admin/chat/conversation/"


def make_dataset(client, conversations=None, *, select_all=False, query="", **options):
    """POST the action with its options; returns the response (streaming when made)."""
    data = {"action": "make_dataset", "kind": "sft", "target": "openai", "images": "data",
            "unit": "path", "link_hours": 72, **options}  # fmt: skip
    if select_all:
        data["select_across"] = "1"
        data["_selected_action"] = [c.pk for c in conversations or []][:1] or ["0"]
    else:
        data["_selected_action"] = [c.pk for c in conversations]
    return client.post(LIST + (f"?{query}" if query else ""), data)


def body(response):
    return b"".join(response.streaming_content)


def lines(response):
    return [json.loads(line) for line in body(response).decode().splitlines()]


def zip_of(response):
    import zipfile

    return zipfile.ZipFile(io.BytesIO(body(response)))


def last_report():
    return DatasetExport.objects.order_by("-pk").first()


def regenerate(answer, text, **fields):
    """Another version of `answer` under the same prompt."""
    return Message.objects.create(
        conversation=answer.conversation, role="assistant", text=text, model=answer.model,
        parent=answer.parent, status="complete", **fields,
    )  # fmt: skip
