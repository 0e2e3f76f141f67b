"""The sidebar: every conversation reachable a page at a time, grouped by latest
activity, searched on the server; rename and delete, for their owner only."""

from datetime import timedelta

import pytest
from asgiref.sync import sync_to_async
from django.test import Client
from django.utils.timezone import now

from chat.models import Conversation
from chat.views.sidebar import PAGE_SIZE
from tests.support.websocket import open_socket, receive_until

pytestmark = pytest.mark.django_db(transaction=True)


def make_conversation(owner, title, *, days_ago=0, text="hello"):
    conversation = Conversation.objects.create(
        owner=owner, title=title, updated=now() - timedelta(days=days_ago, minutes=1)
    )
    conversation.append(role="user", text=text)
    return conversation


def listing(client, **params):
    response = client.get("/c/", params)
    assert response.status_code == 200
    return response.json()


def test_it_reaches_every_conversation_a_page_at_a_time(alice, alice_client):
    for number in range(PAGE_SIZE * 2 + 5):
        make_conversation(alice, f"Trip {number}", days_ago=number / 10)

    titles, after = [], None
    while True:
        page = listing(alice_client, **({"after": after} if after else {}))
        titles += [c["title"] for c in page["conversations"]]
        after = page["next"]
        if after is None:
            break

    assert titles == [f"Trip {n}" for n in range(PAGE_SIZE * 2 + 5)]  # newest activity first


def test_it_groups_by_latest_activity(alice, alice_client):
    make_conversation(alice, "Now")
    make_conversation(alice, "Three days ago", days_ago=3)
    make_conversation(alice, "Last month", days_ago=30)
    Conversation.objects.create(owner=alice, title="Never used")  # no message: not listed

    page = listing(alice_client)

    assert [(c["title"], c["group"]) for c in page["conversations"]] == [
        ("Now", "Today"), ("Three days ago", "Previous 7 days"), ("Last month", "Older"),
    ]  # fmt: skip


def test_it_searches_titles_and_message_text_of_the_persons_own(alice, bob, alice_client):
    make_conversation(alice, "Receipts", text="total of the bill")
    make_conversation(alice, "Birds", text="A heron on the RIVER bank")
    make_conversation(alice, "Cats", text="nothing")
    make_conversation(bob, "River trip", text="river")

    by_text = listing(alice_client, q="river")
    by_title = listing(alice_client, q="receip")

    assert [c["title"] for c in by_text["conversations"]] == ["Birds"]
    assert [c["title"] for c in by_title["conversations"]] == ["Receipts"]


def test_it_renames_in_place(alice, alice_client):
    conversation = make_conversation(alice, "Untitled")

    response = alice_client.post(f"/c/{conversation.code}/rename/", {"title": "  Tax 2026 "})
    empty = alice_client.post(f"/c/{conversation.code}/rename/", {"title": " "})

    assert response.json()["title"] == "Tax 2026"
    assert empty.status_code == 400
    assert empty.json()["error"] == "Title: Give the conversation a title."
    conversation.refresh_from_db()
    assert conversation.title == "Tax 2026"


def test_it_deletes_out_of_the_list_and_the_url(alice, alice_client):
    kept = make_conversation(alice, "Kept")
    gone = make_conversation(alice, "Gone")

    response = alice_client.post(f"/c/{gone.code}/delete/")

    assert response.status_code == 200
    assert [c["title"] for c in listing(alice_client)["conversations"]] == ["Kept"]
    assert alice_client.get(f"/c/{gone.code}/").status_code == 404
    assert alice_client.get("/").url == f"/c/{kept.code}/"
    gone.refresh_from_db()
    assert gone.deleted is not None  # kept for review


def test_it_refuses_another_users_conversation_by_id(alice, bob):
    bobs = make_conversation(bob, "Bob's")
    client = Client()
    client.force_login(alice)

    assert client.get(f"/c/{bobs.code}/").status_code == 404
    assert client.post(f"/c/{bobs.code}/rename/", {"title": "Mine"}).status_code == 404
    assert client.post(f"/c/{bobs.code}/delete/").status_code == 404
    bobs.refresh_from_db()
    assert bobs.title == "Bob's" and bobs.deleted is None


async def test_it_closes_the_sockets_of_a_deleted_conversation(alice, alice_client):
    conversation = await sync_to_async(make_conversation)(alice, "Soon gone")
    other = await sync_to_async(make_conversation)(alice, "Other tab")
    communicator, connected, _ = await open_socket(conversation, alice_client)
    other_tab, _, _ = await open_socket(other, alice_client)

    await sync_to_async(alice_client.post)(f"/c/{conversation.code}/delete/")
    told = await receive_until(other_tab, "conversation_deleted")
    await receive_until(communicator, "conversation_deleted")  # its sidebar is told too
    closed = await communicator.receive_output(timeout=5)
    again, _, _ = await open_socket(conversation, alice_client)
    closed_again = await again.receive_output(timeout=5)
    await other_tab.disconnect()

    assert connected and closed == {"type": "websocket.close", "code": 4404}
    assert told[-1]["code"] == str(conversation.code)
    assert closed_again == {"type": "websocket.close", "code": 4404}


async def test_it_tells_every_tab_when_a_conversation_is_active_or_renamed(
    alice, alice_client, upstream
):
    first = await sync_to_async(make_conversation)(alice, "First")
    second = await sync_to_async(make_conversation)(alice, "Second")
    watcher, _, _ = await open_socket(first, alice_client)
    communicator, _, _ = await open_socket(second, alice_client)

    await communicator.send_json_to({"action": "send", "text": "More", "model": "gpt-4o"})
    active = await receive_until(watcher, "conversation")
    await receive_until(communicator, "done")
    await sync_to_async(alice_client.post)(f"/c/{second.code}/rename/", {"title": "Renamed"})
    renamed = await receive_until(watcher, "conversation")
    await watcher.disconnect()
    await communicator.disconnect()

    assert active[-1]["conversation"]["code"] == str(second.code)
    assert active[-1]["conversation"]["group"] == "Today"
    assert renamed[-1]["conversation"]["title"] == "Renamed"


def test_the_list_and_its_search_say_what_a_comparison_was(alice, bob, alice_client):
    from chat.models import Pick
    from tests.support.review import make_comparison

    picked, columns = make_comparison(alice, blind=True, title="Receipt picked")
    Pick.record(picked, user=alice, outcome="winner", winner=columns[1])
    make_comparison(alice, blind=True, title="Receipt waiting")
    tied, _ = make_comparison(alice, blind=False, title="Receipt tied")
    Pick.record(tied, user=alice, outcome="tie")
    make_conversation(alice, "Plain talk")
    make_comparison(bob, title="Receipt of bob's")

    found = {c["title"]: c["compared"] for c in listing(alice_client, q="Receipt")["conversations"]}
    everything = {c["title"]: c["compared"] for c in listing(alice_client)["conversations"]}

    assert found == {
        "Receipt picked": "Compared gemini-2.5-pro · gpt-4o: picked gemini-2.5-pro",
        # Blind and not picked: how many models, never which.
        "Receipt waiting": "Compared 2 models, not picked yet",
        "Receipt tied": "Compared gemini-2.5-pro · gpt-4o: a tie",
    }
    assert everything["Plain talk"] is None
