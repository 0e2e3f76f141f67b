"""One answer's task, from the stored user message to the stored reply.

An answer is an asyncio task owned by the process, not by a websocket: closing
the tab does not lose it. It publishes events to the conversation's group on
the channel layer (chat/live/groups.py), so every socket on that conversation, in
any process, sees the same tokens. Each token event carries the character
offset at which its text starts, so a client can drop duplicates and notice gaps.

Control messages (stop, sync) reach the running answer through the
conversation's control group, so a stop sent to any daphne process reaches the
one streaming.

While it streams, the answer's heartbeat is renewed with the partial text every
second (chat/live/heartbeats.py, for all of the process's answers at once);
chat/live/lifecycle.py settles answers whose heartbeat stopped, and stops the
process's answers gracefully.
"""

import asyncio
import logging
import time
from contextlib import aclosing

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.utils.translation import gettext

from chat import gateway, images, limits, studio
from chat.gateway import demo, optional_fields
from chat.images import workers
from chat.live import groups, heartbeats, request_body
from chat.live.batching import LeadingEdge, batch_seconds
from chat.live.groups import control_group, publish
from chat.live.payloads import image_payload, message_payload
from chat.models import Conversation, Message, Outcome
from chat.ops import metrics, request_ids

# The answers' own log lines keep the name operators filter on.
# Operators filter on this name: it stays "chat.answers" wherever the module lives.
logger = logging.getLogger("chat.answers")

# How long an answer's helpers may take to end once it is over.
HELPERS_END_SECONDS = 5.0

_replies = set()  # sync replies in flight (a reference keeps each task alive)


def _resolve(future):
    if future is not None and not future.done():
        future.set_result(None)


@database_sync_to_async
def _payload(message):
    return message_payload(message)


def build_request(conversation, answer, *, derivatives_made=False):
    """(body, left_out) of `answer`'s request from the stored `conversation` (as
    stored now), or (None, derivatives to make first)."""
    path = conversation.path(answer.parent_id)
    if not derivatives_made and (missing := request_body.missing_derivatives(path)):
        return None, missing
    body, left_out = request_body.build(
        path,
        model=answer.model,
        image_history_turns=conversation.image_history_turns,
        instructions=answer.instructions,
        temperature=answer.temperature,
        max_tokens=answer.max_tokens,
        image_config=answer.image_config,
        schema=answer.schema,
    )
    if left_out.turns or left_out.images:
        Message.objects.filter(pk=answer.pk).update(
            dropped_turns=left_out.turns, dropped_images=left_out.images
        )
    return body, left_out


def _open_stream(body):
    if body["model"] == demo.MODEL_ID:
        return demo.stream_chat(body=body)
    # The gateway's, less refused response formats and refused image settings.
    return optional_fields.stream_chat(
        body=body, refusable=(optional_fields.RESPONSE_FORMAT, optional_fields.IMAGE_SETTINGS)
    )


class Answer:
    clock = None  # the event loop's time() and call_later(); a test's fake clock

    def __init__(self, conversation, message_id, model, request=None):
        self.conversation = conversation
        self.message_id = message_id
        self.model = model
        self.request = request  # (body, left_out) built where the turn was stored, if it was
        self.parts = []
        self.images = []  # payloads of the images the model generated so far
        self.published = 0  # characters already sent to the group
        self.finished = None
        self.stop_requested = False
        self.started = self.first_token = None
        self.wake = asyncio.Event()  # new text, or the end: the publisher looks
        self.pause = None  # the publisher's batching window (a future), while it waits
        self.ended = False  # the stream is over: helpers, finish up
        self.heartbeats = None
        self.studio = studio.AnswerStudio(model)  # provider state, refused image settings
        # Set by the consumer's frame in this task's context (chat/ops/request_ids.py).
        self.request_id = request_ids.request_id.get()

    @property
    def text(self):
        return "".join(self.parts)

    async def run(self):
        layer = get_channel_layer()
        control = await layer.new_channel()
        await layer.group_add(control_group(self.conversation.code), control)
        # Beating from the start: a slow first token is not a dead process.
        self.heartbeats = heartbeats.of_this_loop()
        self.heartbeats.join(self)
        streaming = asyncio.create_task(self._stream())
        listener = asyncio.create_task(self._listen(control, streaming))
        publisher = asyncio.create_task(self._publish_while_streaming())
        try:
            with metrics.streaming_answer():
                outcome = await self._wait(streaming)
        finally:
            self.heartbeats.discard(self)  # whatever happens next: no beat for a dead answer
            # The helpers are asked to end, not cancelled: a cancellation that
            # lands inside a channels-redis call can be lost there (the helper
            # then waits forever) or lose a message popped from Redis, which
            # may be an event for another socket of this process.
            self._end()
            await self._despite_the_layer(layer.send(control, {"type": "answer.end"}))
            await self._join(listener, publisher)
            await self._despite_the_layer(
                layer.group_discard(control_group(self.conversation.code), control)
            )
            await self._despite_the_layer(groups.forget(control))
        await self._finish(outcome)

    async def _despite_the_layer(self, call):
        """Await a channel-layer call whose failure must not cost the final save.

        An overloaded Redis refuses with ChannelFull (the process's sockets share
        one list) or MaxConnectionsError; the listener it fails to end is
        cancelled by _join, a publish it fails goes again with the next batch."""
        try:
            await call
            return True
        except Exception:
            logger.warning("answer %s: channel layer call failed", self.message_id, exc_info=True)
            return False

    @staticmethod
    async def _join(*tasks):
        _, late = await asyncio.wait(tasks, timeout=HELPERS_END_SECONDS)
        for task in late:
            logger.warning("answer helper %s did not end; cancelled", task.get_coro())
            task.cancel()

    async def _wait(self, streaming):
        try:
            await streaming
            return Outcome(Message.Status.COMPLETE)
        except asyncio.CancelledError:
            if not (self.stop_requested and streaming.cancelled()):
                # The process is shutting down: keep what streamed, then let go.
                streaming.cancel()
                await self._finish(
                    Outcome(Message.Status.ERROR, "interrupted", Message.INTERRUPTED)
                )
                raise
            return Outcome(Message.Status.STOPPED)
        except gateway.GatewayError as error:
            return Outcome(Message.Status.ERROR, error.code, error.message, error.status, error.raw)
        except Exception:
            logger.exception("answer %s failed", self.message_id)
            return Outcome(
                Message.Status.ERROR,
                "internal_error",
                "Something went wrong on our side while answering; the error is logged.",
            )

    def _build_request(self, *, derivatives_made=False):
        # Read the conversation afresh: the socket's copy is as old as the socket,
        # and the image-history setting may have changed since (views.image_history).
        conversation = Conversation.objects.get(pk=self.conversation.pk)
        answer = Message.objects.get(pk=self.message_id)
        return build_request(conversation, answer, derivatives_made=derivatives_made)

    async def _request(self):
        """The request's (body, left_out): as built where the turn was stored
        (chat/live/starts.py), or in one trip to the database thread unless
        derivatives are missing: Pillow makes those first, off the database thread
        that Channels shares between every socket of the process (a first build
        with 20 images took a second there)."""
        body, left_out = self.request or await database_sync_to_async(self._build_request)()
        if body is not None:
            return body, left_out
        for attachment, kind in left_out:
            data = await asyncio.to_thread(images.read_image, attachment)
            made = await workers.run(data, images.make_derivative, kind, refuse_when_busy=False)
            await database_sync_to_async(images.save_derivative)(attachment.sha256, kind, made)
        return await database_sync_to_async(self._build_request)(derivatives_made=True)

    async def _stream(self):
        body, left_out = await self._request()
        if left_out.turns or left_out.images:
            # Say what the model will not see now, not only when the answer ends.
            answer = await Message.objects.aget(pk=self.message_id)
            await publish(
                self.conversation.code, {"type": "answer", "message": await _payload(answer)}
            )
        self.started = time.monotonic()
        # aclosing: a stop that lands while we are not awaiting the stream still
        # closes the HTTP response at once, so the gateway stops generating.
        async with aclosing(_open_stream(body)) as stream:
            async for event in stream:
                if self.studio.take(event):
                    continue
                if self.first_token is None and not isinstance(event, gateway.Finished):
                    self.first_token = time.monotonic()
                if isinstance(event, gateway.TextDelta):
                    self.parts.append(event.text)
                    self.wake.set()
                elif isinstance(event, gateway.ImageDelta):
                    await self._add_image(event.data_uri)
                elif isinstance(event, gateway.Finished):
                    self.finished = event

    async def _add_image(self, data_uri):
        # Decoded in the bounded workers, never on the database thread every socket shares.
        try:
            data = await asyncio.to_thread(images.generated_image_bytes, data_uri)
            prepared = await workers.run(
                data, images.prepare, name=gettext("generated image"), refuse_when_busy=False
            )
            attachment = await database_sync_to_async(self._store_image)(prepared)
        except (images.ImageRejected, limits.LimitReached) as rejection:
            logger.warning("answer %s: generated image refused: %s", self.message_id, rejection)
            # Two whole sentences: ours, then the refusal's (a size, a limit, bad base64).
            note = gettext("The model sent an image that was not kept. %(reason)s") % {
                "reason": rejection.message}  # fmt: skip
            self.parts.append(f"\n\n*({note})*\n\n")
            self.wake.set()
            return
        await database_sync_to_async(studio.record_generated)(attachment)  # its lineage
        payload = image_payload(attachment)
        self.images.append(payload)
        await self._publish_new_text()  # the text before the image goes first
        await publish(self.conversation.code, self._image_event(payload))

    def _store_image(self, prepared):
        # Its bytes count against the owner's day, as an upload's do.
        limits.take(self.conversation.owner, "upload_bytes", len(prepared.checked.data))
        return images.store_generated_image(
            conversation=self.conversation, message_id=self.message_id, prepared=prepared
        )

    def _image_event(self, payload):
        return {"type": "image", "message": self.message_id, "image": payload}

    async def _listen(self, control, streaming):
        layer = get_channel_layer()
        while True:
            message = await layer.receive(control)
            if message["type"] == "answer.end":
                return
            # A stop names its answer; one without a name stops them all (a comparison's).
            if message["type"] == "answer.stop" and message["message"] in (None, self.message_id):
                self.stop_requested = True
                streaming.cancel()
            elif message["type"] == "answer.sync":
                reply = {
                    "type": "chat.sync",
                    "message": self.message_id,
                    "offset": message["offset"],
                    "text": self.text[message["offset"] :],
                    "images": list(self.images),
                }
                # In its own task: a full channel must not hold up a stop.
                task = asyncio.create_task(groups.send_reply(message["reply_to"], reply))
                _replies.add(task)
                task.add_done_callback(_replies.discard)

    def _token_event(self, offset, text):
        return {"type": "token", "message": self.message_id, "offset": offset, "text": text}

    async def _publish_while_streaming(self):
        # Leading edge (chat/live/batching.py): new text goes at once unless the
        # last event went out less than a window ago. A future and a timer per
        # wait, not tasks: this runs up to 50 times a second for every answer.
        loop = asyncio.get_running_loop()
        clock = self.clock or loop
        pace = LeadingEdge(clock)
        while True:
            await self.wake.wait()
            self.wake.clear()
            if self.ended:
                return
            if wait := pace.wait(batch_seconds(self._streaming_here())):
                self.pause = loop.create_future()
                timer = clock.call_later(wait, _resolve, self.pause)
                try:
                    await self.pause
                finally:
                    timer.cancel()
                if self.ended:
                    return  # _finish publishes the rest
            await self._publish_new_text()
            pace.published()

    def _streaming_here(self):
        return len(self.heartbeats.answers) if self.heartbeats else 1

    def _end(self):
        self.ended = True
        self.wake.set()
        _resolve(self.pause)

    async def _publish_new_text(self):
        text = self.text
        if len(text) > self.published:
            # Counted as published only once sent: a publish cut short by the end
            # of the stream is sent again by _finish (a repeat each relay drops).
            offset = self.published
            event = self._token_event(offset, text[offset:])
            if await self._despite_the_layer(publish(self.conversation.code, event)):
                self.published = max(self.published, len(text))

    def _milliseconds_since_start(self, moment):
        if self.started is None or moment is None:
            return None
        return round((moment - self.started) * 1000)

    async def _finish(self, outcome):
        """The answer's end, stored (Message.finish) and told (one "done" or "error"
        event) in one step: the task that streamed the answer is the one that ends it."""
        await self.heartbeats.leave(self)  # no beat lands after the final save
        await self._publish_new_text()
        message, payload = await database_sync_to_async(self._save_outcome)(outcome)
        if outcome.status == Message.Status.ERROR:
            event = {"type": "error", "code": outcome.error_code, "error": outcome.error}
        else:
            event = {"type": "done"}
        await publish(self.conversation.code, {**event, "message": payload})
        metrics.answer_ended(message)
        logger.info(
            "answer %s model=%s status=%s first_token_ms=%s total_ms=%s",
            self.message_id, self.model, message.status, message.first_token_ms, message.total_ms,
        )  # fmt: skip

    def _save_outcome(self, outcome):
        message = Message.objects.get(pk=self.message_id)
        self.studio.store_on(message)
        message.finish(
            outcome,
            text=self.text,
            request_id=self.request_id,
            first_token_ms=self._milliseconds_since_start(self.first_token),
            total_ms=self._milliseconds_since_start(time.monotonic()),
            finished=self.finished,
        )
        return message, message_payload(message)
