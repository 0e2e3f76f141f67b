"""Forwarding a conversation's answer events to one websocket, whole and in order.

The channel layer drops events for a socket whose channel is full, without a
word (group_send, in memory and on Redis alike). So the relay keeps, for each
streaming answer, how many characters this socket has been sent, and:

- forwards only the characters after those (a repeat is never sent twice);
- asks the answer for the rest when an event starts past them (a gap), and
  forwards nothing of it until the rest arrives;
- when an answer it follows goes quiet, reads it from the database: a final
  event that was dropped is replaced by the stored message.

After a (re)connect it sends the page the part of the conversation's path the
page lacks (`resume`), read under the same lock as the events, so that each
message reaches the page once in its latest state.

No event it sends is over the websocket message limit (daphne's is 1 MiB),
whatever the answer's length: token text goes in pieces of at most CHUNK_CHARS;
a final message too big for one event sends its text and HTML first as
"part" events, then the final event without them; a path goes in batches,
its messages too big for one in parts (see chat/live/README.md).
"""

import asyncio
import json
import time
from dataclasses import dataclass, field

from channels.db import database_sync_to_async

from chat.live import turns
from chat.live.payloads import message_payload
from chat.live.protocol import ANSWER, DONE, ERROR, IMAGE, PART, PATH, TOKEN
from chat.models import Message

# At most 12 bytes of JSON per character (a \ud83d\ude00 pair), so a piece of
# text stays far under the 1 MiB limit.
CHUNK_CHARS = 32_768
# A final event whose JSON is longer goes in parts.
MAX_EVENT_BYTES = 256 * 1024
# Room kept in a "path" event for everything but its messages.
PATH_ENVELOPE_BYTES = 1024
# An answer that sent nothing for this long is looked up.
QUIET_SECONDS = 2.0
# Each look-up that finds the answer still streaming doubles the silence before
# the next, up to this: on an overloaded server every answer is quiet, and a
# look-up every 2 s per socket (a query, and a sync reply with the whole text)
# was a fifth of two processes' CPU at 200 answers, adding to the overload.
QUIET_SECONDS_MAX = 16.0


def pieces(text, offset=0):
    """(offset, text) pieces of at most CHUNK_CHARS."""
    for start in range(0, len(text), CHUNK_CHARS):
        yield offset + start, text[start : start + CHUNK_CHARS]


def message_parts(message):
    """A message too big for one event: its text and HTML as "part" events, and
    the message with them left empty and their lengths in "parts"."""
    fields = [name for name in ("text", "html") if name in message]
    events = [
        {"type": PART, "message": message["id"], "field": name, "offset": offset, "text": text}
        for name in fields
        for offset, text in pieces(message[name])
    ]
    lengths = {name: len(message[name]) for name in fields}
    return events, {**message, **dict.fromkeys(fields, ""), "parts": lengths}


def final_events(event):
    """A final "done"/"error" event as events that each fit in a websocket message."""
    if len(json.dumps(event)) <= MAX_EVENT_BYTES:
        return [event]
    parts, message = message_parts(event["message"])
    return [*parts, {**event, "message": message}]


def path_events(messages, after=None, **extra):
    """A "path" (the messages that follow the message `after`, None: from the
    first) as events that each fit in a websocket message: batches of messages,
    each saying which message it follows, "more" on all but the last; a message
    too big for a batch of its own comes first in parts."""
    events, batch, size = [], [], 0

    def flush(more):
        nonlocal after, batch, size
        events.append({"type": PATH, "after": after, "messages": batch, "more": more, **extra})
        if batch:
            after = batch[-1]["id"]
        batch, size = [], 0

    room = MAX_EVENT_BYTES - PATH_ENVELOPE_BYTES
    for message in messages:
        length = len(json.dumps(message)) + 2  # and its comma
        if length > room:
            parts, message = message_parts(message)
            events.extend(parts)
            length = len(json.dumps(message)) + 2
        if batch and size + length > room:
            flush(more=True)
        batch.append(message)
        size += length
    flush(more=False)
    return events


@dataclass
class Stream:
    sent: int = 0  # characters of the answer this socket has been sent
    syncing: bool = False  # a sync is asked for and not answered yet
    heard: float = field(default_factory=time.monotonic)  # when text last moved on
    quiet: float = field(default_factory=lambda: QUIET_SECONDS)  # silence before a look-up


class Relay:
    def __init__(self, conversation_code, channel_name, send_json):
        self.code = conversation_code
        self.channel_name = channel_name
        self.send_json = send_json
        self.streams = {}  # answer id -> Stream
        self.finished = set()  # answers whose final event this socket was sent
        self.lock = asyncio.Lock()  # events from the layer and the watch go out in order
        self.watch = None

    async def event(self, event):
        """An event published to the conversation's group."""
        async with self.lock:
            await self._event(event)

    async def synced(self, reply):
        """The running answer's reply to our sync: its text from an offset, its images."""
        async with self.lock:
            message = reply["message"]
            if message in self.finished:
                return
            self._stream(message).syncing = False
            await self._text(message, reply["offset"], reply["text"])
            for image in reply["images"]:
                await self.send_json({"type": IMAGE, "message": message, "image": image})

    async def resume(self, read):
        """Send the page what it lacks after a (re)connect: `read()` gives
        (after, message payloads, older) as chat.live.paths.unseen_path does. It
        is read under the lock, so nothing this socket is sent after it is older."""
        async with self.lock:
            after, messages, older = await read()
            extra = {"resume": True} if older is None else {"resume": True, "older": older}
            await self._path(messages, after, **extra)

    def stop(self):
        if self.watch:
            self.watch.cancel()

    def _stream(self, message):
        stream = self.streams.get(message)
        if stream is None:
            stream = self.streams[message] = Stream()
            if self.watch is None or self.watch.done():
                self.watch = asyncio.create_task(self._watch())
        return stream

    async def _event(self, event):
        kind, message = event["type"], event.get("message")
        if isinstance(message, dict):
            message = message["id"]
        if message in self.finished:
            return
        if kind == ANSWER:
            self._stream(message)
        elif kind == TOKEN:
            await self._text(message, event["offset"], event["text"])
            return
        elif kind in (DONE, ERROR) and message is not None:
            await self._finish(event)
            return
        elif kind == IMAGE:
            self._stream(message)
        elif kind == PATH:
            older = {"older": event["older"]} if "older" in event else {}
            await self._path(event["messages"], event.get("after"), **older)
            return
        await self.send_json(event)

    async def _path(self, messages, after, **extra):
        # A path holds each answer's state as stored: a finished one is not sent
        # again; a streaming one is followed (the watch looks it up if it goes quiet).
        # The other columns of a comparison not picked yet ride on its answer.
        columns = [a for m in messages for a in m.get("comparison", {}).get("answers", ())]
        for message in [*messages, *columns]:
            if message["role"] != "assistant" or message["id"] in self.finished:
                continue
            if message["status"] == Message.Status.STREAMING:
                self._stream(message["id"])
            else:
                self.streams.pop(message["id"], None)
                self.finished.add(message["id"])
        for part in path_events(messages, after, **extra):
            await self.send_json(part)

    async def _text(self, message, offset, text):
        stream = self._stream(message)
        if offset > stream.sent:
            await self._sync(message, stream)
            return
        new = text[stream.sent - offset :]
        for start, piece in pieces(new, stream.sent):
            await self.send_json({"type": TOKEN, "message": message, "offset": start,
                                  "text": piece})  # fmt: skip
        stream.sent += len(new)
        if new:
            # Only progress counts: events past a gap whose sync reply was lost
            # must not keep the watch from asking again.
            stream.heard = time.monotonic()
            stream.quiet = QUIET_SECONDS

    async def _sync(self, message, stream):
        if not stream.syncing:
            stream.syncing = True
            await turns.request_sync(self.code, self.channel_name, offset=stream.sent)

    async def _finish(self, event):
        message = event["message"]["id"]
        self.streams.pop(message, None)
        self.finished.add(message)
        for part in final_events(event):
            await self.send_json(part)

    async def _watch(self):
        while self.streams:
            await asyncio.sleep(QUIET_SECONDS / 2)
            async with self.lock:
                for message, stream in list(self.streams.items()):
                    if time.monotonic() - stream.heard >= stream.quiet:
                        await self._look_up(message, stream)

    async def _look_up(self, message, stream):
        stored = await _stored_final(message)
        if stored == {}:  # deleted meanwhile
            self.streams.pop(message, None)
        elif stored is None:
            stream.syncing = False  # the reply may have been lost too: ask again
            stream.heard = time.monotonic()
            stream.quiet = min(stream.quiet * 2, QUIET_SECONDS_MAX)
            await self._sync(message, stream)
        elif stored["status"] == Message.Status.ERROR:
            await self._finish(
                {"type": ERROR, "code": stored["error_code"], "error": stored["error"],
                 "message": stored}
            )  # fmt: skip
        else:
            await self._finish({"type": DONE, "message": stored})


@database_sync_to_async
def _stored_final(message_id):
    """The answer's payload if it has finished, None while it streams, {} if it is gone."""
    message = Message.objects.filter(pk=message_id).first()
    if message is None:
        return {}
    if message.status == Message.Status.STREAMING:
        return None
    return message_payload(message)
