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
receive with a message instead, so `forget` is called for it.
"""

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


class RedisPubSubChannelLayer(pubsub.RedisPubSubChannelLayer):
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
