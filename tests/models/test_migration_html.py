"""Migration 0011 on a database holding answers stored before their HTML was:
each finished answer gets the HTML the renderer gives its text; user messages
and a streaming answer get none."""

import pytest

from chat import markdown
from tests.support.migrations import before, migrate

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("chat", "0010_message_heartbeat_request_id")]
AFTER = [("chat", "0011_message_html")]
old_apps = before(BEFORE)


def test_it_stores_the_html_of_every_finished_answer(old_apps):
    User = old_apps.get_model("auth", "User")
    Conversation = old_apps.get_model("chat", "Conversation")
    Message = old_apps.get_model("chat", "Message")
    alice = User.objects.create(username="alice")
    birds = Conversation.objects.create(owner=alice, title="Birds")
    rows = [
        ("user", "complete", "How many **birds**?"),
        ("assistant", "complete", "**Three**, on a `wire`. <script>alert(1)</script>"),
        ("assistant", "error", "Four, one fl"),
        ("assistant", "stopped", "- one\n- two"),
        ("assistant", "streaming", "Still *going"),
    ]
    parent, old = None, []
    for role, status, text in rows:
        parent = Message.objects.create(
            conversation=birds, parent=parent, role=role, status=status, text=text
        )
        old.append(parent)

    new_apps = migrate(AFTER)

    Message = new_apps.get_model("chat", "Message")
    stored = {m.pk: m.html for m in Message.objects.all()}
    finished = [m for m, (role, status, _) in zip(old, rows, strict=True)
                if role == "assistant" and status != "streaming"]  # fmt: skip
    for message in old:
        expected = markdown.render(message.text) if message in finished else ""
        assert stored[message.pk] == expected
    assert "<strong>Three</strong>" in stored[old[1].pk]
    assert "<script>" not in stored[old[1].pk]
    assert len(finished) == 3
