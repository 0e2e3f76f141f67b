"""Prometheus metrics at /metrics: every name is defined here, and each place
that counts something calls one function of this module.

Several processes: with PROMETHEUS_MULTIPROC_DIR set (prometheus-client's own
variable: a directory shared by the daphne processes of one host, emptied
before they start), every process writes its values there and /metrics on
any of them reports the sum over all of them. Without it, each process
reports only its own values.

/metrics is open only to a request with `Authorization: Bearer METRICS_TOKEN`
or from an address in METRICS_ALLOWED_ADDRESSES; with neither set, to no one.
"""

import glob
import hmac
import ipaddress
import os
import re

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.http import require_GET
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

ANSWERS = Counter(
    "tokengate_answers", "Answers ended, by final status and model.", ["status", "model"]
)
TOKENS = Counter(
    "tokengate_tokens",
    "Tokens the gateway counted, by direction (in: prompt, out: completion) and model.",
    ["direction", "model"],
)
FIRST_TOKEN_SECONDS = Histogram(
    "tokengate_answer_first_token_seconds",
    "From the request to the gateway to the first token.",
    ["model"],
    buckets=(0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 30, 60),
)
ANSWER_SECONDS = Histogram(
    "tokengate_answer_seconds",
    "From the request to the gateway to the stored answer.",
    ["model"],
    buckets=(1, 2, 5, 10, 20, 30, 60, 120, 300, 600),
)
GATEWAY_REQUESTS = Counter(
    "tokengate_gateway_requests",
    "HTTP requests to the gateway, by outcome and HTTP status (none: no response).",
    ["outcome", "status"],
)
GATEWAY_RETRIES = Counter(
    "tokengate_gateway_retries", "Gateway requests that failed and were retried."
)
STREAMING = Gauge(
    "tokengate_answers_streaming", "Answers streaming now.", multiprocess_mode="livesum"
)
WEBSOCKETS = Gauge("tokengate_websockets_open", "Websockets open now.", multiprocess_mode="livesum")
UPLOAD_BYTES = Histogram(
    "tokengate_upload_bytes",
    "Sizes of accepted images (uploads and fetched URLs).",
    buckets=tuple(kb * 1024 for kb in (16, 64, 256, 1024, 4096, 10240, 20480)),
)
UPLOADS_REFUSED = Counter("tokengate_uploads_refused", "Images refused, by reason.", ["reason"])


def _status(message):
    return "interrupted" if message.error_code == "interrupted" else message.status


def answer_ended(message):
    """Count a stored answer: its status, tokens and timings."""
    model = message.model or "unknown"
    ANSWERS.labels(_status(message), model).inc()
    if message.prompt_tokens:
        TOKENS.labels("in", model).inc(message.prompt_tokens)
    if message.completion_tokens:
        TOKENS.labels("out", model).inc(message.completion_tokens)
    if message.first_token_ms is not None:
        FIRST_TOKEN_SECONDS.labels(model).observe(message.first_token_ms / 1000)
    if message.total_ms is not None:
        ANSWER_SECONDS.labels(model).observe(message.total_ms / 1000)


def answer_settled(message):
    """An answer abandoned by a dead process, settled as interrupted."""
    ANSWERS.labels(_status(message), message.model or "unknown").inc()


def streaming_answer():
    """A context manager around one running answer."""
    return STREAMING.track_inprogress()


def gateway_request(*, outcome, status, retried):
    GATEWAY_REQUESTS.labels(outcome, str(status or "none")).inc()
    if retried:
        GATEWAY_RETRIES.inc()


def websocket_opened():
    WEBSOCKETS.inc()


def websocket_closed():
    WEBSOCKETS.dec()


def image_accepted(size):
    UPLOAD_BYTES.observe(size)


def image_refused(reason):
    UPLOADS_REFUSED.labels(reason).inc()


def _multiprocess_directory():
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def forget_dead_processes():
    """Drop the live gauges of processes on this host that are gone (SIGKILL, a crash)."""
    directory = _multiprocess_directory()
    if not directory:
        return
    for path in glob.glob(os.path.join(directory, "gauge_live*_*.db")):
        pid = int(re.search(r"_(\d+)\.db$", path).group(1))
        if not os.path.exists(f"/proc/{pid}"):
            multiprocess.mark_process_dead(pid, directory)


def process_exiting():
    if _multiprocess_directory():
        multiprocess.mark_process_dead(os.getpid())


def _allowed(request):
    token = settings.METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(header.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in settings.METRICS_ALLOWED_ADDRESSES)


@require_GET
def view(request):
    if not _allowed(request):
        return HttpResponse(
            "Metrics are only for a request with the METRICS_TOKEN or from an address in "
            "METRICS_ALLOWED_ADDRESSES.\n",
            status=403,
            content_type="text/plain",
        )
    registry = REGISTRY
    if _multiprocess_directory():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
