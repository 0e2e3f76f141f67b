"""A long conversation opens on its latest messages and gives older ones a
page at a time, to its owner only, for a fixed number of queries; the page
shows answers' stored HTML, never rendering Markdown again."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chat import markdown
from chat.live.paths import PAGE_SIZE, unseen_path
from chat.models import Message
from tests.support.long_conversation import build

pytestmark = pytest.mark.django_db


def initial_messages(response):
    """The messages the page draws at first (its json_script)."""
    html = response.content.decode()
    start = html.index('<script id="initial-messages" type="application/json">')
    start = html.index(">", start) + 1
    return json.loads(html[start : html.index("</script>", start)])


def older(client, conversation, before):
    return client.get(f"/c/{conversation.code}/messages/", {"before": before})


def path_ids(conversation):
    return list(conversation.messages.order_by("pk").values_list("pk", flat=True))


def test_it_opens_on_the_latest_messages_of_the_path(alice, alice_client):
    conversation = build(alice, count=120, images=12)
    response = alice_client.get(f"/c/{conversation.code}/")

    shown = initial_messages(response)
    assert [m["id"] for m in shown] == path_ids(conversation)[-PAGE_SIZE:]
    assert 'data-has-older="true"' in response.content.decode()
    assert any(m["images"] for m in shown)


def test_it_gives_every_older_message_once_in_order_as_the_reader_scrolls_up(alice, alice_client):
    conversation = build(alice, count=120, images=12)
    ids = path_ids(conversation)
    seen = [m["id"] for m in initial_messages(alice_client.get(f"/c/{conversation.code}/"))]
    pages = 0
    while True:
        page = older(alice_client, conversation, seen[0]).json()
        seen = [m["id"] for m in page["messages"]] + seen
        pages += 1
        if not page["older"]:
            break
    assert seen == ids
    assert pages == 2  # 50 shown, then 50 and the last 20


def test_a_short_conversation_has_nothing_older(alice, alice_client):
    conversation = build(alice, count=6, images=1)
    response = alice_client.get(f"/c/{conversation.code}/")
    assert len(initial_messages(response)) == 6
    assert 'data-has-older="false"' in response.content.decode()


def test_older_messages_are_its_owners_only(alice, bob, client):
    conversation = build(alice, count=60, images=0)
    last = path_ids(conversation)[-1]

    assert older(client, conversation, last).status_code == 302  # to the login
    client.force_login(bob)
    assert older(client, conversation, last).status_code == 404
    client.force_login(alice)
    assert older(client, conversation, last).status_code == 200
    conversation.deleted = conversation.created
    conversation.save(update_fields=["deleted"])
    assert older(client, conversation, last).status_code == 404


def test_it_refuses_older_messages_before_a_message_off_the_path(alice, alice_client):
    conversation = build(alice, count=60, images=0)
    ids = path_ids(conversation)
    # A second version of the last question: the old answer leaves the path.
    question = Message.objects.get(pk=ids[-2])
    other = conversation.messages.create(role="user", text="Again?", parent_id=question.parent_id)
    conversation.current = other
    conversation.save(update_fields=["current"])

    assert older(alice_client, conversation, ids[-1]).status_code == 404
    for refused in ("x", "-1", ""):
        response = older(alice_client, conversation, refused)
        assert response.status_code == 400
        assert response.json()["error"] == "Say before which message."
    page = older(alice_client, conversation, other.pk).json()
    assert [m["id"] for m in page["messages"]] == ids[-2 - PAGE_SIZE : -2]


def count_queries(request):
    with CaptureQueriesContext(connection) as queries:
        response = request()
    assert response.status_code == 200
    return len(queries)


def test_opening_and_scrolling_cost_the_same_queries_for_1000_messages_as_for_10(
    alice, alice_client
):
    short = build(alice, count=10, images=2, title="Short")
    long = build(alice, count=1000, images=100, title="Long")
    for conversation in (short, long):  # the session and sidebar as warm for both
        alice_client.get(f"/c/{conversation.code}/")

    def open_page(conversation):
        return lambda: alice_client.get(f"/c/{conversation.code}/")

    def scroll_up(conversation):  # 9 messages of the short one, 50 of the long one
        return lambda: older(alice_client, conversation, path_ids(conversation)[-1])

    assert count_queries(open_page(long)) == count_queries(open_page(short))
    assert count_queries(scroll_up(long)) == count_queries(scroll_up(short)) <= 10


def test_it_opens_a_conversation_without_rendering_markdown_again(alice, alice_client, monkeypatch):
    conversation = build(alice, count=4, images=0)
    conversation.append(role="assistant", text="A **stored** answer.")
    monkeypatch.setattr(markdown, "render", lambda text: pytest.fail("rendered again"))

    shown = initial_messages(alice_client.get(f"/c/{conversation.code}/"))
    assert shown[-1]["html"] == "<p>A <strong>stored</strong> answer.</p>\n"


def test_an_answer_stores_its_html_when_it_finishes_and_not_before(alice):
    conversation = build(alice, count=1, images=0)
    answer = conversation.messages.create(role="assistant", status="streaming", text="*so far*")
    assert answer.html == ""

    answer.text, answer.status = "*done* <script>alert(1)</script>", "complete"
    answer.save(update_fields=["text", "status"])
    answer.refresh_from_db()
    assert answer.html == "<p><em>done</em> &lt;script&gt;alert(1)&lt;/script&gt;</p>\n"
    question = conversation.messages.get(role="user")
    assert question.html == ""  # a user's message is shown as typed


def test_an_interrupted_answer_stores_the_html_of_its_saved_text(alice):
    conversation = build(alice, count=1, images=0)
    answer = conversation.messages.create(role="assistant", status="streaming", text="**half")

    assert answer.mark_interrupted()
    answer.refresh_from_db()
    assert answer.status == "error"
    assert answer.html == markdown.render("**half") != ""


def test_a_page_that_reconnects_far_behind_gets_the_latest_page_again(alice):
    conversation = build(alice, count=120, images=0)
    ids = path_ids(conversation)

    # It showed the latest 50 but missed the last turn: the turn follows.
    after, payloads, older = unseen_path(conversation, [(pk, 1) for pk in ids[-50:-2]])
    assert (after, [m["id"] for m in payloads], older) == (ids[-3], ids[-2:], None)

    # It showed the first messages only: it starts again from the latest 50.
    after, payloads, older = unseen_path(conversation, [(pk, 1) for pk in ids[:10]])
    assert (after, [m["id"] for m in payloads], older) == (None, ids[-PAGE_SIZE:], True)
