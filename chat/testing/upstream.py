"""A fake OpenAI-compatible gateway: a real HTTP server on 127.0.0.1.

Tests queue the replies it gives, then read back the requests it received:

    upstream.queue(Reply(tokens=["Hel", "lo"]))
    ... the app calls POST {upstream.url}/chat/completions ...
    assert upstream.requests[0].body["model"] == "gpt-4o"

With nothing queued, it streams DEFAULT_TOKENS. Chosen requests can fail
once and succeed when sent again (the same body), as a run's items do:

    upstream.fail_once(lambda body: "page 3" in last_user_text(body))

To look at an answer halfway,
without timing anything, hold it:

    upstream.queue(Reply(tokens=["Hel", "lo", " there"], hold_after=2))
    ... "Hello" has streamed; the rest waits ...
    upstream.release.set()

For the benchmark it runs as a process of its own and answers what each
request asks for, every token stamped with its sequence number and send time
(chat/bench/figures.py reads them back):

    python -m chat.testing.upstream --stamped     # prints its URL, then one
        # JSON line per request received: {"received": µs, "bytes": n, "text": ...}
"""

import json
import re
import select
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DEFAULT_TOKENS = ["The ", "image ", "shows ", "a ", "red ", "square."]


@dataclass
class Reply:
    """One answer of the fake gateway.

    The defaults give the normal OpenAI stream: a role-only chunk, one chunk per
    token, the finish-reason chunk, the usage chunk (empty "choices"), then
    `data: [DONE]`. Every other field switches on one behaviour of a real gateway.
    """

    tokens: list = field(default_factory=lambda: list(DEFAULT_TOKENS))
    usage: dict = field(default_factory=lambda: {"prompt_tokens": 42, "completion_tokens": 6})
    finish_reason: str | None = "stop"  # None: no finish-reason chunk
    done: bool = True  # False: the stream ends without `data: [DONE]`
    # A whole, non-streaming reply (errors, a 200 that is not SSE) when body is set
    # or status is not 200.
    status: int = 200
    body: str | None = None
    content_type: str = "application/json"
    headers: dict = field(default_factory=dict)
    # What real gateways do differently.
    keep_alive: bool = False  # an SSE comment (": PROCESSING") before every chunk
    empty_choices_first: bool = False  # a leading chunk with "choices": [] (Azure)
    usage_on_finish_chunk: bool = False  # Gemini: usage on the finish chunk, no usage chunk
    usage_on_every_chunk: bool = False  # Gemini: cumulative usage on every chunk
    images: list = field(default_factory=list)  # data URIs sent as delta.images[] after the text
    images_after: int | None = None  # send the images after this many tokens instead
    # Deltas sent as they are after the text (provider state: PROVIDER_STATE_SHAPES).
    extra_deltas: list = field(default_factory=list)
    error_after: int | None = None  # after this many tokens, send error_event and close
    error_event: dict = field(
        default_factory=lambda: {
            "error": {"message": "The upstream model overloaded.", "type": "server_error"}
        }
    )
    cut_after: int | None = None  # close the connection mid-chunk after this many tokens
    # Timing: both waits end early when the client goes away.
    seconds_before_headers: float = 0.0  # a slow first byte (read timeouts)
    seconds_between_tokens: float = 0.0
    hold_after: int | None = None  # after this many tokens, wait for upstream.release
    stamp: bool = False  # send each token as "<sequence>:<send time in µs> " instead

    @classmethod
    def json(cls, value, pieces=3):
        """`value` as JSON text, streamed in `pieces` tokens (an extraction's answer)."""
        text = json.dumps(value, ensure_ascii=False)
        size = -(-len(text) // pieces)
        return cls(tokens=[text[i : i + size] for i in range(0, len(text), size)])

    @classmethod
    def stamped(cls, count, rate):
        """`count` stamped tokens at `rate` per second (0: as fast as it can)."""
        return cls(tokens=[""] * count, stamp=True, seconds_between_tokens=1 / rate if rate else 0)


# Where gateways stream Gemini 3's thought signatures, as each sends them:
# OpenRouter's reasoning_details (items spread over deltas), LiteLLM's
# thinking_blocks and provider_specific_fields, Google's extra_content.
PROVIDER_STATE_SHAPES = {
    "openrouter": [
        {"reasoning_details": [{"type": "reasoning.text", "text": "Plan the edit.",
                                "format": "google-gemini-v1", "index": 0}]},
        {"reasoning_details": [{"type": "reasoning.encrypted", "data": "c2lnbmF0dXJlLTE=",
                                "format": "google-gemini-v1", "index": 1}]},
    ],
    "litellm": [
        {"thinking_blocks": [{"type": "thinking", "thinking": "Plan the edit.",
                              "signature": "CsYBAY89a1+/sig=="}],
         "provider_specific_fields": {"thought_signatures": ["CsYBAY89a1+/sig=="]}},
    ],
    "google": [
        {"extra_content": {"google": {"thought_signature": "Ci8BVKhc7+/thought=="}}},
    ],
}  # fmt: skip


@dataclass
class ReceivedRequest:
    path: str
    headers: dict
    body: dict
    received: int = 0  # µs, on the stamps' clock
    size: int = 0  # bytes of body


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024  # hundreds of answers connect at once in the benchmark


def last_user_text(body):
    content = next(m for m in reversed(body["messages"]) if m["role"] == "user")["content"]
    if isinstance(content, list):
        content = " ".join(p.get("text", "") for p in content if p.get("type") == "text")
    return content


def stamped_reply(body):
    """The Reply a request's last user text asks for: "tokens=300 rate=50"."""
    asked = dict(re.findall(r"(tokens|rate)=(\d+)", last_user_text(body)))
    return Reply.stamped(int(asked.get("tokens", 300)), int(asked.get("rate", 50)))


class FakeUpstream:
    def __init__(self, reply_for=None, keep_requests=True):
        """`reply_for(body)` gives the Reply when none is queued."""
        self.requests = []
        self.replies = deque()
        self.reply_for = reply_for
        self.keep_requests = keep_requests
        self.on_request = None  # called with each ReceivedRequest
        self.disconnected = threading.Event()
        self.release = threading.Event()  # lets held replies go on
        self._failing = None  # (predicate on the body, the failing Reply)
        self._failed = set()  # bodies (as JSON) that failed once already
        self._lock = threading.Lock()
        self._server = Server(("127.0.0.1", 0), self._handler_class())
        # A short poll interval: stop() waits for it, at every test's teardown.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    @property
    def url(self):
        host, port = self._server.server_address
        return f"http://{host}:{port}/v1"

    def reset(self):
        """Forget requests, queued replies and the release, for the next test."""
        self.requests.clear()
        self.replies.clear()
        self.release.clear()
        self.disconnected.clear()
        self._failing = None
        self._failed.clear()

    def queue(self, *replies):
        self.replies.extend(replies)

    def fail_once(self, chosen, reply=None):
        """Answer each request for which `chosen(body)` is true with `reply` the
        first time its body is received, normally the next time. The default
        failure streams a word, then the gateway's error: a client retries
        nothing once text has arrived, so the caller sees it fail."""
        self._failing = (chosen, reply or Reply(tokens=["Partial "], error_after=1))

    def _failure_for(self, body):
        if self._failing is None:
            return None
        chosen, reply = self._failing
        key = json.dumps(body, sort_keys=True)
        with self._lock:
            if key in self._failed or not chosen(body):
                return None
            self._failed.add(key)
        return reply

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def next_reply(self, body=None):
        if self.replies:
            return self.replies.popleft()
        return self.reply_for(body) if self.reply_for else Reply()

    def _handler_class(self):
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                raw = self.rfile.read(length)
                request = ReceivedRequest(
                    self.path, dict(self.headers), json.loads(raw or b"{}"),
                    received=time.monotonic_ns() // 1000, size=len(raw),
                )  # fmt: skip
                if upstream.keep_requests:
                    upstream.requests.append(request)
                if upstream.on_request:
                    upstream.on_request(request)
                reply = upstream._failure_for(request.body) or upstream.next_reply(request.body)
                if reply.seconds_before_headers and self._client_gone_within(
                    reply.seconds_before_headers
                ):
                    upstream.disconnected.set()
                    self.close_connection = True
                    return
                if reply.body is not None or reply.status != 200:
                    self._send_whole(reply)
                else:
                    self._stream(reply)

            def _send_whole(self, reply):
                data = (reply.body or "").encode()
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(data)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def _chunk(self, delta, finish_reason=None, usage=None, choices=True):
                chunk = {
                    "id": "chatcmpl-fake",
                    "object": "chat.completion.chunk",
                    "created": 0,
                    "model": "fake",
                    "choices": (
                        [{"index": 0, "delta": delta, "finish_reason": finish_reason}]
                        if choices
                        else []
                    ),
                }
                if usage is not None:
                    chunk["usage"] = usage
                return chunk

            def _write(self, data):
                self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
                self.wfile.flush()

            def _event(self, payload, keep_alive=False):
                if keep_alive:
                    self._write(b": PROCESSING\n\n")
                data = payload if isinstance(payload, str) else json.dumps(payload)
                self._write(f"data: {data}\n\n".encode())

            def _client_gone_within(self, seconds):
                """Wait up to `seconds`; True as soon as the client closes its end."""
                deadline = time.monotonic() + seconds
                while True:
                    remaining = deadline - time.monotonic()
                    readable, _, _ = select.select([self.connection], [], [], max(remaining, 0))
                    if readable:
                        try:
                            if self.connection.recv(1, socket.MSG_PEEK) == b"":
                                return True
                        except OSError:
                            return True
                    if remaining <= 0:
                        return False

            def _held_until_gone(self):
                """Wait for upstream.release; True if the client left first."""
                while not upstream.release.is_set():
                    if self._client_gone_within(0.05):
                        return True
                return False

            def _stream(self, reply):
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Transfer-Encoding", "chunked")
                self.send_header("Connection", "close")
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self._send_events(reply)
                except (BrokenPipeError, ConnectionResetError):
                    upstream.disconnected.set()
                finally:
                    self.close_connection = True

            def _send_events(self, reply):
                keep_alive = reply.keep_alive

                def usage_so_far(count):
                    if not reply.usage_on_every_chunk:
                        return None
                    return {**reply.usage, "completion_tokens": count}

                if reply.empty_choices_first:
                    self._event(self._chunk({}, choices=False), keep_alive)
                self._event(
                    self._chunk({"role": "assistant", "content": ""}, usage=usage_so_far(0)),
                    keep_alive,
                )

                def send_images():
                    for uri in reply.images:
                        image = {"type": "image_url", "image_url": {"url": uri}}
                        self._event(self._chunk({"images": [image]}), keep_alive)

                for number, token in enumerate(reply.tokens):
                    if number == reply.images_after:
                        send_images()
                    if reply.cut_after is not None and number == reply.cut_after:
                        # Half a chunk, then close: no finish reason, no [DONE].
                        self.wfile.write(b'40\r\ndata: {"cho')
                        self.wfile.flush()
                        return
                    if reply.error_after is not None and number == reply.error_after:
                        self._event(reply.error_event, keep_alive)
                        self.wfile.write(b"0\r\n\r\n")
                        return
                    if number == reply.hold_after and self._held_until_gone():
                        upstream.disconnected.set()
                        return
                    if reply.seconds_between_tokens and self._client_gone_within(
                        reply.seconds_between_tokens
                    ):
                        upstream.disconnected.set()
                        return
                    if reply.stamp:
                        token = f"{number}:{time.monotonic_ns() // 1000} "
                    self._event(
                        self._chunk({"content": token}, usage=usage_so_far(number + 1)),
                        keep_alive,
                    )
                if reply.images_after is None or reply.images_after >= len(reply.tokens):
                    send_images()
                for delta in reply.extra_deltas:
                    self._event(self._chunk(delta), keep_alive)
                if reply.error_after is not None:
                    self._event(reply.error_event, keep_alive)
                    self.wfile.write(b"0\r\n\r\n")
                    return
                if reply.finish_reason is not None:
                    on_finish = reply.usage_on_finish_chunk or reply.usage_on_every_chunk
                    self._event(
                        self._chunk(
                            {},
                            finish_reason=reply.finish_reason,
                            usage=reply.usage if on_finish else None,
                        ),
                        keep_alive,
                    )
                if not (reply.usage_on_finish_chunk or reply.usage_on_every_chunk):
                    self._event(self._chunk({}, usage=reply.usage, choices=False), keep_alive)
                if reply.done:
                    self._event("[DONE]", keep_alive)
                self.wfile.write(b"0\r\n\r\n")

        return Handler


def serve_stamped():
    lock = threading.Lock()

    def report(request):
        with lock:
            record = {"received": request.received, "bytes": request.size,
                      "text": last_user_text(request.body)[:100]}  # fmt: skip
            print(json.dumps(record), flush=True)

    upstream = FakeUpstream(reply_for=stamped_reply, keep_requests=False)
    upstream.on_request = report
    upstream.start()
    print(upstream.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--stamped"]:
        sys.exit("usage: python -m tests.fake_upstream --stamped")
    serve_stamped()
