"""Turns through the real websocket for the studio's tests."""

from chat.models import Message
from tests.support.websocket import open_socket, receive_until


async def send_turns(conversation, client, *turns, timeout=10):
    """Send each (text, model) in turn, each after the previous answer ended;
    return the events of each turn and the stored answers, oldest first."""
    communicator, connected, _ = await open_socket(conversation, client)
    assert connected
    events = []
    for text, model in turns:
        await communicator.send_json_to({"action": "send", "text": text, "model": model})
        events.append(await receive_until(communicator, "done", "error", timeout=timeout))
    await communicator.disconnect()
    answers = [m async for m in Message.objects.filter(conversation=conversation, role="assistant")]
    return events, answers
