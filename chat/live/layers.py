"""The in-memory channel layer (one process, embedded defaults), made cheaper.

Channels' InMemoryChannelLayer sweeps every channel and group for expired
messages on each send, receive and group_send: with hundreds of sockets that
sweep was most of the relay's CPU. Here it runs at most once a second.

Its group_send also starts a task per member and waits for them with
as_completed, for sends that never wait (a full channel raises at once): here
the members are sent to in turn, which is the same, once per token batch per
socket, without the tasks.
"""

import time

from channels import layers
from channels.exceptions import ChannelFull

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
