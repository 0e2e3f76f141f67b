"""Drive the real ASGI application (origin check, session auth, routing) over a
websocket, as a logged-in browser would."""

import asyncio

from channels.testing import WebsocketCommunicator

from tokengate_site.asgi import application

ORIGIN = "http://127.0.0.1:8000"


def browser_headers(client=None, origin=ORIGIN):
    headers = [(b"origin", origin.encode()), (b"host", b"127.0.0.1:8000")]
    if client is not None and "sessionid" in client.cookies:
        headers.append((b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()))
    return headers


async def open_socket(conversation, client=None, origin=ORIGIN, timeout=10):
    """Return (communicator, connected, close code).

    Connecting may take seconds on a loaded machine (a socket that joins a long
    answer mid-way catches up as it connects); a refusal still comes at once.
    """
    communicator = WebsocketCommunicator(
        application, f"/ws/chat/{conversation.code}/", headers=browser_headers(client, origin)
    )
    connected, code = await communicator.connect(timeout=timeout)
    return communicator, connected, code


async def receive_until(communicator, *types, timeout=10):
    """Collect events up to and including the first whose type is in `types`."""
    events = []
    async with asyncio.timeout(timeout):
        while True:
            event = await communicator.receive_json_from(timeout=timeout)
            events.append(event)
            if event["type"] in types:
                return events


def streamed_text(events, message_id):
    """Rebuild an answer's text from its token events, honouring offsets."""
    text = ""
    for event in events:
        if event["type"] == "token" and event["message"] == message_id:
            assert event["offset"] <= len(text), "a gap in the token stream"
            text = text[: event["offset"]] + event["text"]
    return text


def text_without_repeats(events, message_id):
    """The answer's text from its token events, which must follow each other exactly."""
    text = ""
    for event in events:
        if event["type"] == "token" and event["message"] == message_id:
            assert event["offset"] == len(text), "a gap or a repeat in the token stream"
            text += event["text"]
    return text


def final_message(events):
    """The final event's message, its text and HTML filled in from "part" events."""
    parts = {"text": "", "html": ""}
    for event in events:
        if event["type"] == "part":
            assert event["offset"] == len(parts[event["field"]])
            parts[event["field"]] += event["text"]
    message = events[-1]["message"]
    if "parts" in message:
        assert {k: len(v) for k, v in parts.items()} == message["parts"]
        message = {**message, **parts}
    return message
