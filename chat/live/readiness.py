"""What the runtime adds to /readyz (chat/ops/health.py), registered at startup
by chat/apps.py: the channel layer answers, and this process takes new answers
(not while it shuts down)."""

from channels.layers import get_channel_layer

from chat.ops import health


async def channel_layer():
    layer = get_channel_layer()
    if hasattr(layer, "connection"):  # channels-redis: PING every Redis it uses
        for index in range(layer.ring_size):
            await layer.connection(index).ping()
    elif hasattr(layer, "ping"):  # its pub/sub layer (chat/live/layers.py)
        await layer.ping()


def shutting_down():
    # Here, not at the top: apps.py imports this module in every process,
    # management commands too, and turns brings the whole runtime.
    from chat.live import turns

    return None if turns.accepting() else "shutting down"


def register():
    health.add_check("channel_layer", channel_layer, after="database")
    health.add_condition("process", shutting_down)
