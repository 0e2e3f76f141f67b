"""The in-memory channel layer (one process, embedded defaults), made cheaper.

Channels' InMemoryChannelLayer sweeps every channel and group for expired
messages on each send, receive and group_send: with hundreds of sockets that
sweep was most of the relay's CPU. Here it runs at most once a second.
"""

import time

from channels import layers

SWEEP_SECONDS = 1.0


class InMemoryChannelLayer(layers.InMemoryChannelLayer):
    _swept = 0.0

    def _clean_expired(self):
        now = time.monotonic()
        if now - self._swept >= SWEEP_SECONDS:
            self._swept = now
            super()._clean_expired()
