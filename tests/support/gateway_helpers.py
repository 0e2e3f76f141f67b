"""Running chat.gateway.stream_chat in tests, and the answer's path through the websocket."""

from chat import gateway
from chat.models import Conversation, Message
from tests.support.websocket import open_socket, receive_until

BODY = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Describe the image."}]}


async def stream(body=BODY, *, into=None):
    """Run stream_chat to its end and return its events.

    `into` is a list that keeps the events that arrived even when it raises.
    """
    events = [] if into is None else into
    async for event in gateway.stream_chat(body=body):
        events.append(event)
    return events


def text_of(events):
    return "".join(event.text for event in events if isinstance(event, gateway.TextDelta))


async def ask(user, client, text="What is this?", model="gpt-4o", timeout=10):
    """Send one message through the websocket; return (events, stored answer)."""
    conversation = await Conversation.objects.acreate(owner=user, model=model)
    communicator, connected, _ = await open_socket(conversation, client)
    assert connected
    await communicator.send_json_to({"action": "send", "text": text, "model": model})
    events = await receive_until(communicator, "done", "error", timeout=timeout)
    await communicator.disconnect()
    answer = await Message.objects.aget(conversation=conversation, role="assistant")
    return events, answer
