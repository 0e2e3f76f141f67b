"""Every socket ends with the whole answer, whatever its length and however slow
the socket: the channel layer drops events for a full channel without a word."""

import asyncio
import json

import pytest
from channels.exceptions import ChannelFull
from channels.layers import channel_layers, get_channel_layer

from chat import markdown
from chat.live import answer_task, groups, relay
from chat.live.consumer import ChatConsumer
from chat.models import Conversation, Message
from chat.testing.upstream import Reply
from tests.support.websocket import final_message, open_socket, receive_until, text_without_repeats

pytestmark = pytest.mark.django_db(transaction=True)

WEBSOCKET_LIMIT = 1024 * 1024  # daphne's default message limit


@pytest.fixture
def small_channels(settings, monkeypatch):
    """An in-memory layer whose channels hold `capacity` messages; lists the types
    of the messages dropped, and of the sync replies delivered."""
    drops, syncs = [], []

    def configure(capacity):
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels.layers.InMemoryChannelLayer",
                "CONFIG": {"capacity": capacity},
            }
        }
        channel_layers.backends.clear()
        layer = get_channel_layer()
        send = layer.send

        async def counting_send(channel, message):
            try:
                await send(channel, message)
                if message["type"] == "chat.sync":
                    syncs.append(message["offset"])
            except ChannelFull:
                drops.append(message.get("event", message).get("type"))
                raise

        monkeypatch.setattr(layer, "send", counting_send)
        return drops, syncs

    yield configure
    channel_layers.backends.clear()


def stop_reading_at_the_first_token(monkeypatch):
    """The socket reads nothing from the first token on until the returned event is set."""
    overflowed = asyncio.Event()
    forward = ChatConsumer.chat_event

    async def slow_socket(self, event):
        if event["event"]["type"] == "token":
            await overflowed.wait()
        await forward(self, event)

    monkeypatch.setattr(ChatConsumer, "chat_event", slow_socket)
    return overflowed


async def test_it_gives_a_socket_with_a_full_channel_the_whole_answer_once(
    alice, alice_client, upstream, small_channels, monkeypatch
):
    drops, syncs = small_channels(capacity=3)
    overflowed = stop_reading_at_the_first_token(monkeypatch)
    tokens = [f"word{n} " for n in range(300)]
    upstream.queue(Reply(tokens=tokens, seconds_between_tokens=0.002, hold_after=150))
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, _, _ = await open_socket(conversation, alice_client)

    await communicator.send_json_to({"action": "send", "text": "Count", "model": "gpt-4o"})
    async with asyncio.timeout(10):
        while "token" not in drops:
            await asyncio.sleep(0.01)
    overflowed.set()
    upstream.release.set()
    events = await receive_until(communicator, "done", "error", timeout=30)
    await communicator.disconnect()

    # The gap was filled from the answer itself, and the page ends with all of it.
    assert any(offset > 0 for offset in syncs)
    answer_id = events[-1]["message"]["id"]
    assert text_without_repeats(events, answer_id) == "".join(tokens)
    assert events[-1]["type"] == "done" and events[-1]["message"]["text"] == "".join(tokens)


async def test_it_ends_the_answer_for_a_socket_that_missed_the_final_event(
    alice, alice_client, upstream, small_channels, monkeypatch
):
    drops, _ = small_channels(capacity=2)
    monkeypatch.setattr(relay, "QUIET_SECONDS", 0.2)
    released = asyncio.Event()
    forward = ChatConsumer.chat_event

    async def stuck_socket(self, event):
        await released.wait()
        await forward(self, event)

    monkeypatch.setattr(ChatConsumer, "chat_event", stuck_socket)
    tokens = [f"word{n} " for n in range(50)]
    upstream.queue(Reply(tokens=tokens))
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, _, _ = await open_socket(conversation, alice_client)

    await communicator.send_json_to({"action": "send", "text": "Count", "model": "gpt-4o"})
    async with asyncio.timeout(10):
        while "done" not in drops:  # the stuck socket's channel was full for the end
            await asyncio.sleep(0.02)
    released.set()
    events = await receive_until(communicator, "done", "error", timeout=10)
    await communicator.disconnect()

    answer = await Message.objects.aget(role="assistant")
    assert events[-1]["type"] == "done"
    assert events[-1]["message"]["id"] == answer.pk
    assert events[-1]["message"]["text"] == answer.text == "".join(tokens)
    text_without_repeats(events, answer.pk)  # no repeat in what did come


async def test_it_delivers_a_50000_token_answer_in_events_under_the_websocket_limit(
    alice, alice_client, upstream
):
    tokens = [f"Zürich-{n} " for n in range(50_000)]
    text = "".join(tokens)
    upstream.queue(Reply(tokens=tokens, hold_after=25_000))
    conversation = await Conversation.objects.acreate(owner=alice)
    first, _, _ = await open_socket(conversation, alice_client)
    await first.send_json_to({"action": "send", "text": "Go on", "model": "gpt-4o"})
    before = await receive_until(first, "answer", timeout=60)
    answer_id = before[-1]["message"]["id"]
    async with asyncio.timeout(120):
        while len((await Message.objects.aget(pk=answer_id)).text) < 1000:
            await asyncio.sleep(0.05)  # half the answer has streamed, and is partly saved

    # A socket that connects now catches up from the start, without the first's help.
    late, _, _ = await open_socket(conversation, alice_client, timeout=30)
    upstream.release.set()
    events = {}
    for name, communicator in (("first", first), ("late", late)):
        events[name] = await receive_until(communicator, "done", "error", timeout=120)
        await communicator.disconnect()
    events["first"] = before + events["first"]

    stored = await Message.objects.aget(pk=answer_id)
    assert stored.status == "complete" and stored.text == text
    html = markdown.render(text)
    assert len(json.dumps({"type": "done", "message": {"text": text, "html": html}})) > (
        WEBSOCKET_LIMIT
    ), "the answer is too short to test the limit"
    for name, seen in events.items():
        assert max(len(json.dumps(event)) for event in seen) < WEBSOCKET_LIMIT, name
        assert text_without_repeats(seen, answer_id) == text, name
        message = final_message(seen)
        assert seen[-1]["type"] == "done", name
        assert message["text"] == text and message["html"] == html, name


async def test_it_asks_again_when_the_answer_to_its_sync_is_lost(
    alice, alice_client, upstream, small_channels, monkeypatch
):
    drops, _ = small_channels(capacity=3)
    monkeypatch.setattr(relay, "QUIET_SECONDS", 0.2)
    overflowed = stop_reading_at_the_first_token(monkeypatch)
    asked, send_reply = [], groups.send_reply

    async def losing_the_first_reply(channel, message):
        asked.append(message["offset"])
        return False if len(asked) == 1 else await send_reply(channel, message)

    monkeypatch.setattr(groups, "send_reply", losing_the_first_reply)
    tokens = [f"word{n} " for n in range(300)]
    upstream.queue(Reply(tokens=tokens, seconds_between_tokens=0.002, hold_after=150))
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, _, _ = await open_socket(conversation, alice_client)

    await communicator.send_json_to({"action": "send", "text": "Count", "model": "gpt-4o"})
    async with asyncio.timeout(20):
        while "token" not in drops:
            await asyncio.sleep(0.01)
        overflowed.set()
        while len(asked) < 3:  # the sync on connect, the lost one, the one asked again
            await asyncio.sleep(0.01)
    upstream.release.set()
    events = await receive_until(communicator, "done", "error", timeout=30)
    await communicator.disconnect()

    answer_id = events[-1]["message"]["id"]
    assert text_without_repeats(events, answer_id) == "".join(tokens)
    assert events[-1]["message"]["text"] == "".join(tokens)


async def test_it_stores_and_shows_the_whole_answer_when_the_layer_refuses_its_end(
    alice, alice_client, upstream, monkeypatch
):
    # An overloaded Redis refuses sends (ChannelFull: a process's sockets share
    # one list); the message that ends the answer's listener is one of them.
    layer = get_channel_layer()
    send = layer.send

    async def refusing_the_end(channel, message):
        if message["type"] == "answer.end":
            raise ChannelFull(channel)
        await send(channel, message)

    monkeypatch.setattr(layer, "send", refusing_the_end)
    monkeypatch.setattr(answer_task, "HELPERS_END_SECONDS", 0.5)
    upstream.queue(Reply())
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, _, _ = await open_socket(conversation, alice_client)

    await communicator.send_json_to({"action": "send", "text": "Describe", "model": "gpt-4o"})
    events = await receive_until(communicator, "done", "error", timeout=10)
    await communicator.disconnect()

    answer = await Message.objects.aget(conversation=conversation, role="assistant")
    assert (answer.status, answer.text) == ("complete", "The image shows a red square.")
    assert events[-1]["type"] == "done"
    assert events[-1]["message"]["text"] == answer.text
