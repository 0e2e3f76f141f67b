"""The Content-Security-Policy (django-csp, configured in settings), plus the
two things settings cannot say: the websocket's own origin, which depends on
the request, and an endpoint that logs the violations browsers report.

`/csp-report/` needs no login, so it is bounded: a report over
MAX_REPORT_BYTES is refused unread (413), and each address may have
REPORTS_PER_MINUTE reports logged, the whole process ALL_REPORTS_PER_MINUTE
(429 beyond, nothing logged). Its fields are logged as text with their control
characters escaped (chat/ops/log_text.py), so no report can forge a log line.
"""

import json
import logging
import threading
import time

import cachetools
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

# Operators filter on this name: it stays "chat.csp" wherever the module lives.
logger = logging.getLogger("chat.csp")

MAX_REPORT_BYTES = 16 * 1024
REPORTS_PER_MINUTE = 10
ALL_REPORTS_PER_MINUTE = 120


class ReportBudget:
    """Token buckets per address and for the whole process, in memory: a limit
    on log lines, which every process may keep for itself."""

    def __init__(self, per_address, overall):
        self.per_address, self.overall = per_address, overall
        self.buckets = cachetools.LRUCache(maxsize=10_000)  # an address's (tokens, when)
        self.lock = threading.Lock()
        self.clock = time.monotonic

    def _take(self, key, per_minute, now):
        tokens, then = self.buckets.get(key, (per_minute, now))
        tokens = min(per_minute, tokens + (now - then) * per_minute / 60)
        if tokens < 1:
            self.buckets[key] = (tokens, now)
            return False
        self.buckets[key] = (tokens - 1, now)
        return True

    def take(self, address):
        now = self.clock()
        with self.lock:
            return self._take(("address", address), self.per_address, now) and self._take(
                "all", self.overall, now
            )


budget = ReportBudget(REPORTS_PER_MINUTE, ALL_REPORTS_PER_MINUTE)


class CSPMiddleware(BaseCSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        # 'self' covers ws: and wss: in CSP 3 browsers only; name the origin for the rest.
        try:
            origin = f"{'wss' if request.is_secure() else 'ws'}://{request.get_host()}"
        except DisallowedHost:
            return parts
        update = dict(parts.update or {})
        update["connect-src"] = [*update.get("connect-src", []), origin]
        parts.update = update
        return parts


@csrf_exempt
@require_POST
def report(request):
    """Log a violation report (CSP_REPORT_URI=/csp-report/ turns reporting on)."""
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_REPORT_BYTES or len(body := request.body) > MAX_REPORT_BYTES:
        return HttpResponse(
            f"A CSP report may be at most {MAX_REPORT_BYTES // 1024} KB.", status=413
        )
    if not budget.take(request.META.get("REMOTE_ADDR")):
        return HttpResponse("Too many CSP reports: later ones are not kept.", status=429)
    try:
        report = json.loads(body).get("csp-report")
    except (ValueError, AttributeError):
        report = None
    if not isinstance(report, dict):
        return HttpResponse("A CSP report is a JSON object with a csp-report key.", status=400)
    logger.warning(
        "CSP violation: %s blocked %s on %s",
        str(report.get("violated-directive", "?"))[:200],
        str(report.get("blocked-uri", "?"))[:500],
        str(report.get("document-uri", "?"))[:500],
    )
    return HttpResponse(status=204)
