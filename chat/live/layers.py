"""The channel layers: in memory (one process, embedded defaults) and Redis
pub/sub (several processes), each made cheaper or safer than the one it extends.

Channels' InMemoryChannelLayer sweeps every channel and group for expired
messages on each send, receive and group_send: with hundreds of sockets that
sweep was most of the relay's CPU. Here it runs at most once a second.

Its group_send also starts a task per member and waits for them with
as_completed, for sends that never wait (a full channel raises at once): here
the members are sent to in turn, which is the same, once per token batch per
socket, without the tasks.

channels-redis's RedisPubSubChannelLayer publishes a group send once, and each
process subscribed to the group hands it to its members: one round trip per
token batch, where RedisChannelLayer makes four to send (the group's members,
an expiry sweep, a script per process) and four more to receive each message,
one message at a time. It keeps nothing: an event published while a process is
not subscribed (its connection to Redis is down) is lost, which the relay
already makes good (chat/live/relay.py: a gap is asked for, a quiet answer
looked up). It forgets a channel only when a receive on it is cancelled, as a
consumer's is when its socket closes; an answer's control channel ends its
receive with a message instead, so `forget` is called for it. Its publishes
wait for each other behind a lock, a round trip each: here those made while
one is on its way go together in one pipeline.
"""

import asyncio
import time

from channels import layers
from channels.exceptions import ChannelFull
from channels_redis import pubsub

SWEEP_SECONDS = 1.0


class InMemoryChannelLayer(layers.InMemoryChannelLayer):
    _swept = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._swept >= SWEEP_SECONDS:
            self._swept = now
            super()._clean_expired()

    async def group_send(self, group, message):
        assert isinstance(message, dict), "Message is not a dict"
        self.require_valid_group_name(group)
        self._clean_expired()
        for channel in list(self.groups.get(group, {})):
            try:
                await self.send(channel, message)
            except ChannelFull:
                pass  # as Channels does: the relay notices the gap and asks again


class _Shard(pubsub.RedisSingleShardConnection):
    """One Redis of the pub/sub layer, whose publishes go out together: those
    made while one is on its way to Redis wait, then go in one pipeline (one
    write, one read), in the order they were made. channels-redis sends each
    on its own behind a lock, a round trip per token batch per answer."""

    def __init__(self, host, channel_layer):
        super().__init__(host, channel_layer)
        self._outbox = []  # (channel, message, future) not sent yet
        self._next = None  # the task that will send the outbox, until it takes it
        self._sending = set()  # the tasks sending (a reference keeps each alive)

    async def publish(self, channel, message):
        future = asyncio.get_running_loop().create_future()
        self._outbox.append((channel, message, future))
        # A task that was cancelled before it took the outbox takes nothing.
        if self._next is None or self._next.done():
            self._next = asyncio.ensure_future(self._send_outbox())
            self._sending.add(self._next)
            self._next.add_done_callback(self._sending.discard)
        await future

    async def _send_outbox(self):
        async with self._lock:  # one after another, and after subscribes
            if self._next is asyncio.current_task():
                self._next = None
            batch, self._outbox = self._outbox, []
            try:
                self._ensure_redis()
                pipe = self._redis.pipeline(transaction=False)
                for channel, message, _ in batch:
                    pipe.publish(channel, message)
                await pipe.execute()
            except asyncio.CancelledError:
                for _, _, future in batch:
                    future.cancel()
                raise
            except Exception as error:
                for _, _, future in batch:
                    if not future.done():
                        future.set_exception(error)
            else:
                for _, _, future in batch:
                    if not future.done():
                        future.set_result(None)


class RedisPubSubChannelLayer(pubsub.RedisPubSubChannelLayer):
    def _get_layer(self):
        loop = asyncio.get_running_loop()
        if loop not in self._layers:
            layer = super()._get_layer()
            layer._shards = [_Shard(shard.host, layer) for shard in layer._shards]
        return self._layers[loop]

    async def forget(self, channel):
        """Unsubscribe `channel` and drop its queue (a channel no receive waits on)."""
        layer = self._get_layer()
        if layer.channels.pop(channel, None) is not None:
            await layer._get_shard(channel).unsubscribe(channel)

    async def ping(self):
        """Raise unless every Redis this layer publishes to answers."""
        for shard in self._get_layer()._shards:
            shard._ensure_redis()
            await shard._redis.ping()
