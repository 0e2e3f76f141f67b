"""An answer streamed from the gateway is stored with its HTML when it ends,
the HTML its "done" carried, and the pages after read it: review too, which
renders only an answer still streaming."""

import pytest

from chat import markdown
from chat.models import Conversation, Message
from chat.testing.upstream import Reply
from tests.support.review import answers, make_conversation, review_url
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db


@pytest.mark.django_db(transaction=True)  # the answer task saves from another thread
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


def test_review_shows_the_stored_html_and_a_streaming_answer_as_far_as_it_got(rita_client, alice):
    conversation = make_conversation(alice, turns=2)
    finished, streaming = answers(conversation)
    Message.objects.filter(pk=finished.pk).update(html="<p>As <em>stored</em>.</p>")
    Message.objects.filter(pk=streaming.pk).update(status="streaming", text="So **far**")

    page = rita_client.get(review_url(conversation)).content.decode()

    assert "<p>As <em>stored</em>.</p>" in page  # not rendered again from its text
    assert "So <strong>far</strong>" in page
