"""An answer streamed from the gateway is stored with its HTML when it ends,
and every page after reads that HTML: the one the answer's "done" carried."""

import pytest

from chat import markdown
from chat.models import Conversation, Message
from tests.fake_upstream import Reply
from tests.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize(
    ("reply", "status"),
    [
        (Reply(tokens=["**Three** ", "birds ", "on `a wire`."]), "complete"),
        (Reply(tokens=["**Three** ", "birds "], error_after=2), "error"),
    ],
)
async def test_it_stores_an_answers_html_when_it_ends(alice, alice_client, upstream, reply, status):
    conversation = await Conversation.objects.acreate(owner=alice, model="gpt-4o")
    upstream.queue(reply)

    communicator, _, _ = await open_socket(conversation, alice_client)
    await communicator.send_json_to({"action": "send", "text": "How many?", "model": "gpt-4o"})
    final = (await receive_until(communicator, "done", "error"))[-1]["message"]
    await communicator.disconnect()

    stored = await Message.objects.aget(pk=final["id"])
    assert stored.status == status
    assert stored.html == markdown.render(stored.text) == final["html"]
    assert "<strong>Three</strong>" in stored.html
    question = await Message.objects.aget(role="user", conversation=conversation)
    assert question.html == ""  # shown as typed
