"""The websocket consumer at /ws/chat/<conversation code>/: one per open page.

The protocol it speaks (actions, events, close codes) is in chat/live/README.md,
and in code in chat/live/protocol.py.
"""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from chat.accounts import language
from chat.live import groups, lifecycle, paths, protocol, sessions, throttle, turns
from chat.live.protocol import Refusal
from chat.live.relay import Relay
from chat.models import Conversation
from chat.ops import request_ids


class ChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        # Sentences this socket and its answers send are in the person's language.
        translation.activate(language.for_scope(self.scope))
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
        self.session = sessions.SessionGuard(self.scope)
        self.group = groups.conversation_group(self.conversation.code)
        self.relay = Relay(self.conversation.code, self.channel_name, self.send_json)
        self.replies = throttle.Bucket()  # resume and sync: what a small frame makes us send
        self.resume = throttle.Latest(self._resume)
        self.groups_joined = [self.group, groups.person_group(user.pk), lifecycle.PROCESS_GROUP]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        lifecycle.socket_opened(self.channel_name)
        # Catch up on an answer that was already streaming before we joined.
        await turns.request_sync(self.conversation.code, self.channel_name)
        await turns.settle_abandoned(self.conversation)

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
            self.resume.cancel()
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
            await self._refuse(
                gettext("Frames must be JSON text; binary frames are not read."), "bad_frame"
            )
            return
        limit = settings.WEBSOCKET_MAX_BYTES
        if len(text_data) > limit or len(text_data.encode(errors="surrogatepass")) > limit:
            await self.close(code=protocol.CLOSE_TOO_BIG)
            return
        try:
            content = json.loads(text_data)
        except (ValueError, RecursionError):
            await self._refuse(gettext("Frames must be JSON objects."), "bad_frame")
            return
        await self.receive_json(content)

    async def _refuse(self, message, code, **extra):
        await self.send_json({"type": protocol.ERROR, "code": code, "error": message, **extra})

    async def receive_json(self, content, **kwargs):
        """Hand the frame to the method named after its action ("send": action_send),
        as Channels names event handlers; a refusal becomes an "error" event."""
        request_ids.new_request_id()  # the answer this frame starts carries it
        if not await self.session.still_valid():
            await self.close(code=protocol.CLOSE_NOT_LOGGED_IN)
            return
        action = content.get("action") if isinstance(content, dict) else None
        try:
            handler = HANDLERS.get(action) if isinstance(action, str) else None
            if handler is None:
                raise Refusal(
                    gettext("Unknown action %(action)s.") % {"action": repr(action)},
                    code="bad_request",
                )
            await handler(self, content)
        except Refusal as refusal:  # bad fields, a turn that cannot be taken, a limit
            await self._refuse(refusal.message, refusal.code, **refusal.details)

    async def action_send(self, content):
        parent = protocol.parse_message_id(content, "parent") if "parent" in content else None
        if "models" in content:
            await self._compare(content, parent)
            return
        text, images, model = protocol.parse_send(content)
        schema = protocol.parse_extract(content)
        # turns.start settles and takes the turn limit with the turn itself.
        await turns.start(
            conversation=self.conversation,
            user=self.scope["user"],
            text=text,
            images=images,
            model=model,
            parent=parent,
            schema=schema,
        )

    async def _compare(self, content, parent):
        text, images, models, blind = protocol.parse_compare(content)
        await turns.compare(
            conversation=self.conversation, user=self.scope["user"], text=text,
            images=images, models=models, blind=blind, parent=parent,
        )  # fmt: skip

    async def action_pick(self, content):
        comparison, outcome, winner, reason = protocol.parse_pick(content)
        await turns.pick(
            conversation=self.conversation, user=self.scope["user"], comparison=comparison,
            outcome=outcome, winner=winner, reason=reason,
        )  # fmt: skip

    async def action_edit(self, content):
        message = protocol.parse_message_id(content)
        text, images, model = protocol.parse_send(content)
        # As a send: turns settles and takes the turn limit with the turn itself.
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
        await turns.regenerate(
            conversation=self.conversation, user=self.scope["user"], message=message, model=model
        )

    async def action_switch(self, content):
        message = protocol.parse_message_id(content)
        await turns.switch(conversation=self.conversation, message=message)

    async def action_stop(self, content):
        await turns.request_stop(self.conversation.code, content.get("message"))

    async def action_sync(self, content):
        if self.replies.take():
            await turns.request_sync(self.conversation.code, self.channel_name)

    async def action_resume(self, content):
        shown = protocol.parse_shown(content)
        if self.replies.take():
            self.resume(shown)  # answered in a task: resumes arriving meanwhile are coalesced

    async def _resume(self, shown):
        await self.relay.resume(
            lambda: database_sync_to_async(paths.unseen_path)(self.conversation, shown)
        )

    async def chat_event(self, event):
        await self.relay.event(event["event"])

    async def chat_sync(self, reply):
        await self.relay.synced(reply)

    async def chat_deleted(self, event):
        # Its user deleted the conversation (in any tab): as if it never existed.
        await self.close(code=protocol.CLOSE_NO_CONVERSATION)

    async def session_check(self, event):
        # Its person logged out, changed password or was deactivated (sessions.py).
        if self.session.ended(event) or not await self.session.still_valid(force=True):
            await self.close(code=protocol.CLOSE_NOT_LOGGED_IN)

    async def server_restart(self, event):
        # Sent by lifecycle.close_sockets after every event queued for us.
        await self.close(code=protocol.CLOSE_RESTARTING)

    @database_sync_to_async
    def _get_conversation_for_user(self, code, user):
        return Conversation.objects.for_user(user).filter(code=code).first()


# Looked up once, not with getattr on a name built per frame (0.4 µs more a frame).
HANDLERS = {action: getattr(ChatConsumer, f"action_{action}") for action in protocol.ACTIONS}
