"""The websocket protocol, at /ws/chat/<conversation code>/.

Client to server (JSON objects with an "action"):

    {"action": "send", "text": "What is this?", "model": "gpt-4o",
     "images": [{"id": "<image code from the upload>", "detail": "auto"}],
     "parent": <message id>}    # optional: the last message on screen (default:
                                # the conversation's current leaf)
    {"action": "regenerate", "message": <answer id>, "model": "gpt-4o"}
        a new version of that answer (also the retry of a failed one): the same
        user message and images are answered again, by `model`
    {"action": "edit", "message": <user message id>, "text": "...", "model": "...",
     "images": [...]}
        a new version of that user message, on a new branch from the same point;
        "images" as in "send", where the edited message's own image ids keep
        those images (nothing is uploaded again) and new uploads add to them
    {"action": "switch", "message": <message id>}
        show the version holding that message (from its "versions"): the newest
        branch below it becomes current, on every socket of the conversation
    {"action": "stop", "message": <answer id>}
    {"action": "sync"}          # resend the streaming answer's text and images so far
                                # (rarely needed: the server closes gaps itself)
    {"action": "resume", "shown": [[<message id>, <number of its versions>], ...]}
        sent by the page on every (re)connect, and when its tab or network
        comes back (no answer within 15 s: it takes the socket for dead and
        opens another): the finished messages it shows,
        in order (it may leave out older ones it has not loaded); the server
        answers with a "path" event with "resume": true holding what the page
        lacks (chat.live.payloads.unseen_path): answers that finished, failed or
        started while it was away, messages from other tabs, a version switched
        to; a streaming answer's text so far follows as "token" events

Server to client (JSON objects with a "type"):

    {"type": "message", "message": {...}}   the user's message was stored
    {"type": "answer", "message": {...}}    an answer started (status "streaming");
        a page shows a "message" or "answer" right after its "parent" message,
        replacing whatever followed there (a new version or branch);
        sent once more, before any token, when the request had to leave earlier
        turns or images out ("dropped_turns", "dropped_images")
    {"type": "token", "message": <id>, "offset": <int>, "text": "..."}
        text of the answer starting at character `offset`; each socket is sent
        every character once, in order (chat/live/relay.py), in pieces of at most
        32,768 characters; a client still drops what it already has, and asks
        for "sync" if it sees a gap
    {"type": "image", "message": <id>, "image": {...}}
        the streaming answer produced an image (image models), already stored
        as an image of that answer; the final message object lists it too
    {"type": "done", "message": {...}}      the answer finished (status "complete"
        or "stopped"), with its sanitized HTML, usage and timings; its "notice"
        is a sentence for the user when the gateway cut or filtered the answer
    {"type": "part", "message": <id>, "field": "text" or "html", "offset": <int>,
     "text": "..."}
        a final message (or a message of a path) too big for one websocket
        message comes first in parts; its "done", "error" or "path" then has
        empty "text" (and "html") and "parts": {"text": <length>, "html":
        <length>}, to be filled from them
    {"type": "error", "code": "...", "error": "a sentence", "message": {...}}
        the answer failed (what streamed is kept); without "message", the
        request itself was refused and nothing was stored
    {"type": "path", "after": <message id or null>, "messages": [{...}, ...],
     "more": false, "resume": true, "older": true}
        the messages that follow message `after` (null: the page starts again
        with these) on the version now current, in place of whatever the page
        shows after it: the reply to "resume", or (without "resume", with
        "after" null) a switch of version. Sent from the start, a path holds
        the latest PAGE_SIZE messages (chat/live/payloads.py), and "older" says
        whether more remain above them (GET /c/<code>/messages/?before=<id>
        gives them a page at a time). A path too big for one websocket message
        comes in several events, each following the last message of the one
        before, "more" true on all but the last; a message too big for one
        event comes first in "part" events (as a big final message does)
    {"type": "conversation", "conversation": {"code", "title", "url", "updated", "group"}}
        one of this person's conversations (any of them) was active or renamed:
        the sidebar moves it to the top of its group ("Today", ...)
    {"type": "conversation_deleted", "code": "..."}
        one of this person's conversations was deleted; that conversation's own
        sockets are closed with 4404

A frame that is binary or not a JSON object gets an "error" event with code
"bad_frame"; a refused request (bad fields, a limit reached: "rate_limited",
with "retry_after" in seconds) an "error" event with its own code. The socket
stays open after both.

Message objects have the shape of chat.live.payloads.message_payload; each has
"parent" (an id or null) and "versions", [{"id", "model"}] of itself and its
siblings, oldest first, for a "‹ 2 / 3 ›" switch.
Close codes: 4401 not logged in, 4404 no such conversation for this user
(both on an accepted socket, so that a browser sees the code; the page stops
reconnecting after either), 1009 a frame over
settings.WEBSOCKET_MAX_BYTES (the standard "message too big"). 4012 the server
is restarting (reconnect: another process takes over; the number is 1012,
"service restart", in the range a server may send). After any other close the
page reconnects with backoff and sends "resume".
"""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from chat import limits
from chat.live import announce, groups, lifecycle, payloads, protocol, turns
from chat.live.protocol import Refusal
from chat.live.relay import Relay
from chat.models import Conversation
from chat.ops import request_ids


class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope["user"]
        if not user.is_authenticated:
            await self._accept_and_close(protocol.CLOSE_NOT_LOGGED_IN)
            return
        self.conversation = await self._get_conversation_for_user(
            self.scope["url_route"]["kwargs"]["code"], user
        )
        if self.conversation is None:
            await self._accept_and_close(protocol.CLOSE_NO_CONVERSATION)
            return
        self.group = groups.conversation_group(self.conversation.code)
        self.relay = Relay(self.conversation.code, self.channel_name, self.send_json)
        self.groups_joined = [self.group, announce.person_group(user.pk), lifecycle.PROCESS_GROUP]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        lifecycle.socket_opened(self.channel_name)
        # Catch up on an answer that was already streaming before we joined.
        await turns.request_sync(self.conversation.code, self.channel_name)
        await lifecycle.settle_abandoned(self.conversation)

    async def _begin_turn(self):
        # A send, an edit and a regenerate each start an answer: an answer left by a
        # dead process must not block it (the sweep may not have come by yet), and
        # the person's turn limit is taken.
        await lifecycle.settle_abandoned(self.conversation)
        await database_sync_to_async(limits.take_turn)(self.scope["user"])

    async def _accept_and_close(self, code):
        # A browser sees a close code only on a socket that opened: a refused
        # handshake is a bare 403, which looks like a network failure, and the
        # page would go on reconnecting. Nothing is joined, read or sent.
        self.refused = True
        await self.accept()
        await self.close(code=code)

    async def disconnect(self, code):
        # The answer task is not ours: it keeps running and storing without us.
        lifecycle.socket_closed(self.channel_name)
        if getattr(self, "relay", None):
            self.relay.stop()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def dispatch(self, message):
        # Channels closes stale database connections before every message, on the
        # database thread; events from the layer touch no database, and there is
        # one per token batch per socket.
        handler = {"chat.event": self.chat_event, "chat.sync": self.chat_sync}.get(message["type"])
        if handler:
            await handler(message)
        else:
            await super().dispatch(message)

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        if getattr(self, "refused", False):
            return  # a frame sent before our close reached the browser
        if text_data is None:
            await self._refuse("Frames must be JSON text; binary frames are not read.", "bad_frame")
            return
        limit = settings.WEBSOCKET_MAX_BYTES
        if len(text_data) > limit or len(text_data.encode(errors="surrogatepass")) > limit:
            await self.close(code=protocol.CLOSE_TOO_BIG)
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self._refuse("Frames must be JSON objects.", "bad_frame")
            return
        await self.receive_json(content)

    async def _refuse(self, message, code, **extra):
        await self.send_json({"type": protocol.ERROR, "code": code, "error": message, **extra})

    async def receive_json(self, content, **kwargs):
        """Hand the frame to the method named after its action ("send": action_send),
        as Channels names event handlers; a refusal becomes an "error" event."""
        request_ids.new_request_id()  # the answer this frame starts carries it
        action = content.get("action") if isinstance(content, dict) else None
        try:
            if not (isinstance(action, str) and action in protocol.ACTIONS):
                raise Refusal(f"Unknown action {action!r}.", code="bad_request")
            await getattr(self, f"action_{action}")(content)
        except Refusal as refusal:  # bad fields, a turn that cannot be taken, a limit
            await self._refuse(refusal.message, refusal.code, **refusal.details)

    async def action_send(self, content):
        text, images, model = protocol.parse_send(content)
        parent = protocol.parse_message_id(content, "parent") if "parent" in content else None
        await self._begin_turn()
        await turns.start(
            conversation=self.conversation,
            user=self.scope["user"],
            text=text,
            images=images,
            model=model,
            parent=parent,
        )

    async def action_edit(self, content):
        message = protocol.parse_message_id(content)
        text, images, model = protocol.parse_send(content)
        await self._begin_turn()
        await turns.edit(
            conversation=self.conversation,
            user=self.scope["user"],
            message=message,
            text=text,
            images=images,
            model=model,
        )

    async def action_regenerate(self, content):
        message, model = protocol.parse_message_id(content), protocol.parse_model(content)
        await self._begin_turn()
        await turns.regenerate(conversation=self.conversation, message=message, model=model)

    async def action_switch(self, content):
        message = protocol.parse_message_id(content)
        await turns.switch(conversation=self.conversation, message=message)

    async def action_stop(self, content):
        await turns.request_stop(self.conversation.code, content.get("message"))

    async def action_sync(self, content):
        await turns.request_sync(self.conversation.code, self.channel_name)

    async def action_resume(self, content):
        shown = protocol.parse_shown(content)
        await self.relay.resume(
            lambda: database_sync_to_async(payloads.unseen_path)(self.conversation, shown)
        )

    async def chat_event(self, event):
        await self.relay.event(event["event"])

    async def chat_sync(self, reply):
        await self.relay.synced(reply)

    async def chat_deleted(self, event):
        # Its user deleted the conversation (in any tab): as if it never existed.
        await self.close(code=protocol.CLOSE_NO_CONVERSATION)

    async def server_restart(self, event):
        # Sent by lifecycle.close_sockets after every event queued for us.
        await self.close(code=protocol.CLOSE_RESTARTING)

    @database_sync_to_async
    def _get_conversation_for_user(self, code, user):
        return Conversation.objects.for_user(user).filter(code=code).first()
