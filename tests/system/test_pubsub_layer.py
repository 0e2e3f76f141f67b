"""The Redis pub/sub channel layer (chat/live/layers.py, the default with
REDIS_URL) against a real Redis: an answer leaves no subscription behind, and
two sites on one Redis server do not hear each other. That it carries answers
whole and in order between two processes is tests/system/test_fanout_across_processes.py."""

import asyncio
import json
import subprocess
import sys

import pytest
import redis.asyncio
from channels.layers import channel_layers, get_channel_layer
from django.utils.module_loading import import_string

from chat.models import Conversation
from chat.testing.live import SOURCE_ROOT, clean_environment
from chat.testing.upstream import Reply
from tests.support.services import REDIS_URL, flushed_redis, require_redis
from tests.support.websocket import open_socket, receive_until

PREFIX = "asgi.pubsub-test."


@pytest.fixture
def pubsub_layer(settings):
    require_redis()
    with flushed_redis() as url:
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "chat.live.layers.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [url], "prefix": PREFIX},
            }
        }
        channel_layers.backends.clear()
        yield url
        channel_layers.backends.clear()


async def subscriptions(url):
    """The pub/sub channels of this test that Redis has subscribers for."""
    client = redis.asyncio.Redis.from_url(url)
    try:
        return sorted(name.decode() for name in await client.pubsub_channels(PREFIX + "*"))
    finally:
        await client.aclose()


async def settled_subscriptions(url, count):
    """Subscriptions once their number is `count` (an unsubscribe takes a moment)."""
    for _ in range(100):
        names = await subscriptions(url)
        if len(names) == count:
            return names
        await asyncio.sleep(0.02)
    return names


@pytest.mark.django_db(transaction=True)
async def test_an_answer_leaves_no_subscription_behind(pubsub_layer, alice, alice_client, upstream):
    conversation = await Conversation.objects.acreate(owner=alice)
    upstream.queue(Reply(tokens=["It ", "is ", "a ", "cat."]))
    socket, _, _ = await open_socket(conversation, alice_client)
    joined = await subscriptions(pubsub_layer)

    await socket.send_json_to({"action": "send", "text": "What is it?", "model": "gpt-4o"})
    events = await receive_until(socket, "done", "error")
    # While it streamed, the answer listened on a channel of its own in its
    # conversation's control group; once it has ended, both are gone.
    after_the_answer = await settled_subscriptions(pubsub_layer, len(joined))
    await socket.disconnect()

    assert events[-1]["type"] == "done" and events[-1]["message"]["text"] == "It is a cat."
    # The socket's channel, its conversation's group, its person's and its process's.
    assert len(joined) == 4
    assert after_the_answer == joined
    assert await settled_subscriptions(pubsub_layer, 0) == []


def layer_of_a_site(redis_url):
    """The channel layer a process configured with `redis_url` builds."""
    shown = subprocess.run(
        [sys.executable, "-c",
         "import json; from django.conf import settings; "
         "print(json.dumps(settings.CHANNEL_LAYERS['default']))"],
        cwd=SOURCE_ROOT, env=clean_environment(REDIS_URL=redis_url),
        capture_output=True, text=True, timeout=60, check=True,
    )  # fmt: skip
    config = json.loads(shown.stdout)
    return import_string(config["BACKEND"])(**config["CONFIG"])


async def test_two_sites_on_one_redis_server_do_not_hear_each_other():
    require_redis()
    # Pub/sub channels belong to the server, not to a database: the layer's
    # prefix names the database, as the keys of the queues layer are in it.
    base = REDIS_URL.rsplit("/", 1)[0]
    first, second = layer_of_a_site(f"{base}/11"), layer_of_a_site(f"{base}/12")
    here, there = await first.new_channel(), await second.new_channel()
    # Both sites have a user 1, whose sidebar is group "person-1" in each.
    await first.group_add("person-1", here)
    await second.group_add("person-1", there)

    await second.group_send("person-1", {"type": "chat.event", "event": {"site": "second"}})

    assert await asyncio.wait_for(second.receive(there), 5) == {
        "type": "chat.event",
        "event": {"site": "second"},
    }
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(first.receive(here), 0.5)
    await first.flush()
    await second.flush()


async def test_publishes_made_together_arrive_whole_and_in_the_order_they_were_made(
    pubsub_layer, settings
):
    layer = get_channel_layer()
    listener = await layer.new_channel()
    await layer.group_add("conversation-1", listener)

    # 300 answers' token batches at once, as a busy process publishes them: they
    # go to Redis together, and each arrives once, in order.
    await asyncio.gather(*(
        layer.group_send("conversation-1", {"type": "chat.event", "n": n}) for n in range(300)
    ))  # fmt: skip

    received = [(await asyncio.wait_for(layer.receive(listener), 5))["n"] for _ in range(300)]
    assert received == list(range(300))
    with pytest.raises(TimeoutError):
        await asyncio.wait_for(layer.receive(listener), 0.2)
    await layer.flush()


async def test_every_publish_fails_when_redis_does_not_answer(settings, closed_port):
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "chat.live.layers.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [f"redis://127.0.0.1:{closed_port}/0"], "prefix": PREFIX},
        }
    }
    channel_layers.backends.clear()
    layer = get_channel_layer()
    try:
        results = await asyncio.gather(
            *(layer.group_send("conversation-1", {"type": "chat.event"}) for _ in range(3)),
            return_exceptions=True,
        )
    finally:
        channel_layers.backends.clear()

    # An answer's publisher hears of the failure (it sends the text again with
    # the next batch, chat/live/answer_task.py), none waits forever.
    assert [type(result).__name__ for result in results] == ["ConnectionError"] * 3
