"""A page that reconnects catches up: its "resume" is answered with what it lacks
of the conversation's path (chat.live.paths.unseen_path, sent by chat/live/relay.py),
each message once, in events under the websocket message limit."""

import asyncio
import json

import pytest

from chat.live import relay
from chat.live.paths import unseen_path
from chat.models import Conversation, Message
from chat.testing.upstream import Reply
from tests.support.websocket import open_socket, receive_until, streamed_text

pytestmark = pytest.mark.django_db(transaction=True)


def shown(*messages):
    """What a page sends for the finished messages it shows: [id, number of versions]."""
    return [[m["id"], len(m["versions"])] for m in messages]


async def resume(communicator, pairs):
    """Send "resume"; return the events up to the last "path" event of the reply."""
    await communicator.send_json_to({"action": "resume", "shown": pairs})
    events = []
    while True:
        events += await receive_until(communicator, "path")
        if not events[-1]["more"]:
            return events


async def finished(message_id):
    async with asyncio.timeout(10):
        while (await Message.objects.aget(pk=message_id)).status == "streaming":
            await asyncio.sleep(0.02)


async def a_turn(communicator, text="Hello"):
    await communicator.send_json_to({"action": "send", "text": text, "model": "gpt-4o"})
    events = await receive_until(communicator, "done", "error")
    return events[0]["message"], events[-1]["message"]


@pytest.fixture
async def conversation(alice):
    return await Conversation.objects.acreate(owner=alice, model="gpt-4o")


async def test_it_gives_a_reconnected_page_the_answer_that_finished_while_it_was_away(
    conversation, alice_client, upstream
):
    upstream.queue(Reply(tokens=["Finished ", "while ", "away."], hold_after=1))
    page, _, _ = await open_socket(conversation, alice_client)
    await page.send_json_to({"action": "send", "text": "Go", "model": "gpt-4o"})
    question = (await receive_until(page, "message"))[-1]["message"]
    answer_id = (await receive_until(page, "answer"))[-1]["message"]["id"]
    await receive_until(page, "token")
    await page.disconnect()  # the network drops; the page still shows "streaming"
    upstream.release.set()
    await finished(answer_id)

    page, _, _ = await open_socket(conversation, alice_client)
    events = await resume(page, shown(question))  # the streaming answer is not "shown"

    assert [e["type"] for e in events] == ["path"]
    assert events[0]["resume"] and events[0]["after"] == question["id"]
    [answer] = events[0]["messages"]
    assert answer["id"] == answer_id
    assert answer["status"] == "complete" and answer["text"] == "Finished while away."
    assert "<p>Finished while away.</p>" in answer["html"]
    # Its end is not sent a second time, nor any of its text.
    assert await page.receive_nothing(timeout=0.5)
    await page.disconnect()


async def test_it_gives_a_reconnected_page_the_turns_sent_from_another_tab(
    conversation, alice_client, upstream
):
    page, _, _ = await open_socket(conversation, alice_client)
    seen = await a_turn(page, "First")
    await page.disconnect()
    other_tab, _, _ = await open_socket(conversation, alice_client)
    question, answer = await a_turn(other_tab, "Second, from another tab")
    await other_tab.disconnect()

    page, _, _ = await open_socket(conversation, alice_client)
    events = await resume(page, shown(*seen))
    await page.disconnect()

    assert events[-1]["after"] == seen[-1]["id"]
    assert [(m["id"], m["role"], m["status"]) for m in events[-1]["messages"]] == [
        (question["id"], "user", "complete"),
        (answer["id"], "assistant", "complete"),
    ]
    assert events[-1]["messages"][0]["text"] == "Second, from another tab"


async def test_it_sends_nothing_to_a_page_that_missed_nothing(conversation, alice_client, upstream):
    page, _, _ = await open_socket(conversation, alice_client)
    seen = await a_turn(page)

    events = await resume(page, shown(*seen))
    await page.disconnect()

    assert events == [
        {"type": "path", "after": seen[-1]["id"], "messages": [], "more": False, "resume": True}
    ]


async def test_it_gives_the_streaming_answer_as_stored_then_its_text_once(
    conversation, alice_client, upstream
):
    tokens = [f"word{n} " for n in range(30)]
    upstream.queue(Reply(tokens=tokens, hold_after=10))
    page, _, _ = await open_socket(conversation, alice_client)
    await page.send_json_to({"action": "send", "text": "Count", "model": "gpt-4o"})
    question = (await receive_until(page, "message"))[-1]["message"]
    answer_id = (await receive_until(page, "answer"))[-1]["message"]["id"]
    await page.disconnect()

    page, _, _ = await open_socket(conversation, alice_client)
    events = await resume(page, shown(question))
    upstream.release.set()
    events += await receive_until(page, "done", "error")
    await page.disconnect()

    path = next(e for e in events if e["type"] == "path")
    assert [(m["id"], m["status"]) for m in path["messages"]] == [(answer_id, "streaming")]
    assert streamed_text(events, answer_id) == "".join(tokens)
    assert [e["type"] for e in events].count("done") == 1
    assert events[-1]["message"]["text"] == "".join(tokens)


async def test_it_sends_again_a_message_whose_versions_changed(
    conversation, alice_client, upstream
):
    page, _, _ = await open_socket(conversation, alice_client)
    question, first = await a_turn(page)
    await page.send_json_to({"action": "regenerate", "message": first["id"], "model": "gpt-4o"})
    await receive_until(page, "done")
    await page.send_json_to({"action": "switch", "message": first["id"]})
    await receive_until(page, "path")
    await page.disconnect()

    # A page that saw the first answer alone: the same path, but it now has a sibling.
    after, messages, older = await asyncio.to_thread(
        unseen_path, conversation, [(question["id"], 1), (first["id"], 1)]
    )
    assert after == question["id"]
    assert [(m["id"], len(m["versions"])) for m in messages] == [(first["id"], 2)]


def test_it_sends_the_whole_path_to_a_page_showing_another_version(conversation_sync):
    conversation, messages = conversation_sync
    after, payloads, older = unseen_path(conversation, [(-1, 1)])
    assert after is None and older is False
    assert [m["id"] for m in payloads] == [m.pk for m in messages]


def test_it_matches_a_page_that_shows_only_the_latest_messages(conversation_sync):
    # The page loaded the last two (older ones wait for a scroll up), and missed nothing.
    conversation, messages = conversation_sync
    latest = [(m.pk, 1) for m in messages[-2:]]
    assert unseen_path(conversation, latest) == (messages[-1].pk, [], None)
    # It missed the last answer.
    after, payloads, _ = unseen_path(conversation, latest[:1])
    assert after == messages[-2].pk and [m["id"] for m in payloads] == [messages[-1].pk]


@pytest.fixture
def conversation_sync(alice):
    conversation = Conversation.objects.create(owner=alice, model="gpt-4o")
    messages = [
        conversation.append(role=role, text=f"message {n}", status="complete")
        for n, role in enumerate(["user", "assistant"] * 2)
    ]
    return conversation, messages


async def test_it_sends_a_path_too_big_for_one_websocket_message_in_events_under_the_limit(
    conversation, alice_client, monkeypatch
):
    monkeypatch.setattr("chat.live.paths.PAGE_SIZE", 100)  # the whole path, 82 messages, at once
    # 40 answers of 20,000 characters (each far from the limit, together 8 times
    # over it in JSON) and one answer bigger than the limit on its own.
    texts = [f"ü{n} " * 5_000 for n in range(40)] + ["é" * (relay.MAX_EVENT_BYTES)]

    def store():
        for text in texts:
            conversation.append(role="user", text="Again?", status="complete")
            conversation.append(role="assistant", text=text, status="complete", model="gpt-4o")

    await asyncio.to_thread(store)
    page, _, _ = await open_socket(conversation, alice_client)
    events = await resume(page, [])
    await page.disconnect()

    assert max(len(json.dumps(e)) for e in events) <= relay.MAX_EVENT_BYTES
    paths = [e for e in events if e["type"] == "path"]
    assert len(paths) > 8
    # Each batch follows the last message of the one before.
    assert [p["after"] for p in paths] == [None] + [p["messages"][-1]["id"] for p in paths[:-1]]
    parts = {}
    for event in events:
        if event["type"] == "part":
            field = parts.setdefault(event["message"], {"text": "", "html": ""})
            assert event["offset"] == len(field[event["field"]])
            field[event["field"]] += event["text"]
    answers = [m for p in paths for m in p["messages"] if m["role"] == "assistant"]
    assert [parts.get(m["id"], m)["text"] for m in answers] == texts
    assert list(parts) == [answers[-1]["id"]]  # only the biggest came in parts


async def test_it_refuses_a_resume_whose_shown_is_not_a_list_of_pairs(conversation, alice_client):
    page, _, _ = await open_socket(conversation, alice_client)
    await page.send_json_to({"action": "resume", "shown": [[1, "two"]]})
    [event] = await receive_until(page, "error")
    await page.disconnect()

    assert event["code"] == "bad_request"
