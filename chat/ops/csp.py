"""The Content-Security-Policy (django-csp, configured in settings), plus the
two things settings cannot say: the websocket's own origin, which depends on
the request, and an endpoint that logs the violations browsers report."""

import json
import logging

from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

# Operators filter on this name: it stays "chat.csp" wherever the module lives.
logger = logging.getLogger("chat.csp")

MAX_REPORT_BYTES = 16 * 1024


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
    body = request.body[:MAX_REPORT_BYTES]
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
