"""Reading a gateway's failure: its status, body and headers (or an error inside
the stream) sorted into one of the GatewayError kinds of chat/gateway/errors.py,
with our sentence for the person, the proxy's wording cut off and the key redacted.
"""

import email.utils
import json
import re
from datetime import UTC, datetime

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from chat.gateway.errors import (
    GatewayAuthError,
    GatewayBadResponse,
    GatewayInterrupted,
    GatewayQuotaExceeded,
    GatewayRateLimited,
    GatewayRejected,
    GatewayTimeout,
    GatewayUnavailable,
)
from chat.gateway.redaction import hide_key

# At most this much of an error body is read; `raw` keeps at most RAW_CHARS.
ERROR_BODY_BYTES = 64 * 1024
RAW_CHARS = 4000
REASON_CHARS = 300


# Marked here, translated where it is used (in the language of whoever reads it).
CONNECTION_BROKE = gettext_noop(
    "The connection to the gateway broke off before the answer was finished."
)


def redact(text, limit=REASON_CHARS):
    """The key must never reach a user, even when a gateway echoes it in an error."""
    text = " ".join(hide_key(text).split())
    if len(text) > limit:
        text = text[:limit].rstrip() + "…"
    return text


def raw_text(raw):
    """An error body or event as kept for review: whole lines, key redacted, capped."""
    return hide_key(raw)[:RAW_CHARS]


def error_object(payload):
    """The error in an OpenAI, LiteLLM, OpenRouter or vLLM body or chunk, or None.

    Returned as {"message", "type", "code", "metadata"} with strings (maybe empty).
    """
    if not isinstance(payload, dict):
        return None
    error = payload.get("error")
    if isinstance(error, str):
        error = {"message": error}
    elif not isinstance(error, dict):
        if payload.get("object") == "error":  # vLLM
            error = payload
        elif any(
            isinstance(choice, dict) and choice.get("finish_reason") == "error"
            for choice in payload.get("choices") or []
        ):
            error = {}  # OpenRouter's finish_reason "error" without an error object
        else:
            return None
    metadata = error.get("metadata")
    return {
        "message": str(error.get("message") or ""),
        "type": str(error.get("type") or ""),
        "code": str(error.get("code") or ""),
        "metadata": metadata if isinstance(metadata, dict) else {},
    }


# What proxies wrap around the upstream's own words. LiteLLM:
#   "litellm.BadRequestError: OpenAIException - <reason>\n\nLiteLLM: model group 'gpt-4o'
#    failed with the error above. No fallback was attempted."
_PROXY_PREFIX = re.compile(r"\s*(?:litellm\.)?[A-Za-z]+(?:Error|Exception)\b\s*[:-]?\s*")
_PROXY_FOOTER = re.compile(
    r"\s*(?:LiteLLM: model group|Received Model Group=|Available Model Group Fallbacks="
    r"|LiteLLM Retried:|No fallback model group).*\Z",
    re.S,
)


def short_reason(error):
    """The upstream's own words in an error object, without the proxy's wrapping."""
    text = error["message"]
    if text == "Provider returned error" and error["metadata"].get("raw"):
        text = str(error["metadata"]["raw"])  # OpenRouter: the provider's body
    text = _PROXY_FOOTER.sub("", text)
    while (match := _PROXY_PREFIX.match(text)) and match.end() < len(text):
        text = text[match.end() :]
    try:
        inner = error_object(json.loads(text))  # "VertexAIException - {json body}"
    except ValueError:
        inner = None
    if inner and inner["message"]:
        return short_reason(inner)
    return redact(text)


def duration(seconds):
    if seconds < 90:
        count = max(round(seconds), 1)
        return ngettext("%(count)d second", "%(count)d seconds", count) % {"count": count}
    count = round(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}


def retry_after(headers):
    """Seconds the gateway asks us to wait before retrying, or None if it doesn't say."""
    value = headers.get("retry-after-ms")
    if value:
        try:
            return max(float(value) / 1000, 0.0)
        except ValueError:
            pass
    for name in ("retry-after", "llm_provider-retry-after"):  # the latter: LiteLLM
        value = headers.get(name)
        if not value:
            continue
        try:
            return max(float(value), 0.0)
        except ValueError:
            pass
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=UTC)
        return max((when - datetime.now(UTC)).total_seconds(), 0.0)
    return None


# "Try again in 5 seconds" (LiteLLM's cool-down), "Please try again in 1.5s" and
# "in 20ms" (OpenAI's rate limits), "Please retry in 36.3s" (Gemini).
_WAIT_IN_TEXT = re.compile(
    r"(?:try again|retry) in (\d+(?:\.\d+)?)\s*"
    r"(ms|milliseconds?|s|secs?|seconds?|m|mins?|minutes?)\b",
    re.I,
)


def wait_in_text(text):
    """The wait a rate-limit or cool-down message asks for, in seconds, or None."""
    match = _WAIT_IN_TEXT.search(text)
    if not match:
        return None
    number, unit = float(match.group(1)), match.group(2).lower()
    if unit.startswith("ms") or unit.startswith("milli"):
        return number / 1000
    if unit.startswith("m"):
        return number * 60
    return number


def proxy_retries(headers):
    """How often a proxy in front of the gateway already retried this request (LiteLLM says)."""
    try:
        return int(headers.get("x-litellm-attempted-retries", 0))
    except ValueError:
        return 0


_QUOTA_CODES = {
    "insufficient_quota", "billing_hard_limit_reached", "budget_exceeded",
    "insufficient_credits", "payment_required",
}  # fmt: skip
_QUOTA_WORDS = (
    "exceeded your current quota", "insufficient_quota", "insufficient credits",
    "out of credits", "credit balance is too low", "budget has been exceeded", "exceededbudget",
)  # fmt: skip
_COOLDOWN_WORDS = ("no deployments available", "in cooldown", "all_deployments_in_cooldown")
_CONNECTION_WORDS = (
    "apiconnectionerror", "api_connection_error", "connection error", "connection reset",
    "connection closed", "connection lost", "disconnected", "server closed the connection",
)  # fmt: skip
_TIMEOUT_WORDS = ("timeout", "timed out")
_OVERLOADED_WORDS = ("overloaded",)
_RATE_WORDS = ("rate limit", "ratelimit", "rate_limit", "too many requests", "throttl")


def _status(code):
    """An error object's code as an HTTP status, when it is one ("500", 429)."""
    return int(code) if code.isdigit() and 100 <= int(code) <= 599 else None


def _kind(status, error, wait):
    """Which failure this is: the sentence and the retry decision follow from it."""
    words = " ".join((error["type"], error["code"], error["message"])).lower()

    def has(options):
        return any(option in words for option in options)

    if status == 402 or {error["type"], error["code"]} & _QUOTA_CODES:
        return "quota"
    if has(_QUOTA_WORDS) and wait is None:
        # Gemini says "exceeded your current quota" for a per-minute limit too, but
        # then it says how long to wait: that one is a rate limit.
        return "quota"
    if has(_COOLDOWN_WORDS):
        return "cooldown"
    if status in (401, 403):
        return "auth"
    if status in (404, 413) or status == 429:
        return str(status)
    if status is not None and 400 <= status < 500 and status != 408:
        return "bad_request"
    if has(_CONNECTION_WORDS):
        return "connection"
    if status == 408 or status == 504 or has(_TIMEOUT_WORDS):
        return "timeout"
    if status == 529 or has(_OVERLOADED_WORDS):
        return "overloaded"
    if has(_RATE_WORDS):
        return "429"
    if (status and status >= 500) or has(("server_error", "internal", "unavailable")):
        return "server"
    if error["type"] in ("invalid_request_error", "BadRequestError"):
        return "bad_request"
    return None


def _sentence_error(kind, *, status, reason, model, wait, raw, http_status):
    """The GatewayError for one kind of failure, with our sentence."""
    shown = _(" (%(status)s)") % {"status": status} if status else ""
    when = _("in %(duration)s") % {"duration": duration(wait)} if wait else _("in a moment")
    words = {"status": shown, "model": model, "when": when, "reason": reason}
    common = {"status": http_status, "raw": raw}
    if kind == "quota":
        return GatewayQuotaExceeded(
            _(
                "The gateway account is out of quota or credit%(status)s. Please tell the "
                "administrator of this app: they must top it up or raise its limit with the "
                "gateway's provider. Trying again will not help until then."
            )
            % words,
            **common,
        )
    if kind == "cooldown":
        return GatewayRateLimited(
            _(
                "The gateway has paused the model “%(model)s” for a short while after errors"
                "%(status)s; try again %(when)s."
            )
            % words,
            code="cooling_down",
            retry_after=wait,
            **common,
        )
    if kind == "auth":
        # The detail is not shown: gateways echo part of the key in it.
        return GatewayAuthError(
            _(
                "The gateway refused the API key%(status)s. The administrator must set a valid "
                "TOKENGATE_API_KEY."
            )
            % words,
            **common,
        )
    if kind == "404":
        return GatewayRejected(
            _(
                "The gateway does not know the model “%(model)s” (404); the administrator can "
                "change TOKENGATE_MODELS, or TOKENGATE_BASE_URL is wrong."
            )
            % words,
            code="unknown_model",
            **common,
        )
    if kind == "413":
        return GatewayRejected(
            _("The request is too large for the gateway (413): send fewer or smaller images."),
            code="payload_too_large",
            **common,
        )
    if kind == "429":
        return GatewayRateLimited(
            _("The gateway is rate-limiting requests%(status)s; try again %(when)s.") % words,
            retry_after=wait,
            **common,
        )
    if kind == "connection":
        return GatewayInterrupted(_(CONNECTION_BROKE), **common)
    if kind == "timeout":
        return GatewayTimeout(
            _(
                "The model behind the gateway took too long to answer%(status)s; "
                "try again in a moment."
            )
            % words,
            code="upstream_timeout",
            permanent=False,
            **common,
        )
    if kind == "overloaded":
        return GatewayUnavailable(
            _("The model is overloaded at the gateway%(status)s; try again in a moment.") % words,
            code="overloaded",
            retry_after=wait,
            **common,
        )
    if kind == "server":
        return GatewayUnavailable(
            _("The gateway had a server error%(status)s; try again in a moment.") % words,
            retry_after=wait,
            **common,
        )
    if kind == "bad_request":
        if reason:
            sentence = _("The gateway refused the request%(status)s: %(reason)s") % words
        else:
            sentence = _("The gateway refused the request%(status)s.") % words
        return GatewayRejected(sentence, **common)
    return None


def for_response(status, raw, headers, *, model):
    """The GatewayError for an HTTP error response (status >= 400) and its body."""
    try:
        error = error_object(json.loads(raw))
    except ValueError:
        error = None  # an HTML error page from a proxy says nothing useful to a user
    error = error or {"message": "", "type": "", "code": "", "metadata": {}}
    wait = retry_after(headers)
    if wait is None and status == 429:
        wait = wait_in_text(error["message"])
    kind = _kind(status, error, wait)
    if kind not in ("quota", "cooldown", "auth", "404", "413", "429", "bad_request", "overloaded"):
        kind = "server"  # 408 and 5xx: the status says it plainly; the wording may not
    if kind == "429" and status != 429:
        kind = "server"
    return _sentence_error(
        kind,
        status=status,
        reason=short_reason(error) if error["message"] else "",
        model=model,
        wait=wait,
        raw=raw_text(raw),
        http_status=status,
    )


def for_event(error, *, raw, model, http_status=200):
    """The GatewayError for an error object that arrived in the stream (HTTP 200).

    Transient kinds (connection, timeout, overloaded, rate limit, 5xx) are not
    permanent: the client retries them when nothing has reached the user yet.
    """
    status = _status(error["code"])
    wait = wait_in_text(error["message"])
    kind = _kind(status, error, wait)
    reason = short_reason(error) if error["message"] else ""
    failure = _sentence_error(
        kind,
        status=status,
        reason=reason,
        model=model,
        wait=wait,
        raw=raw_text(raw),
        http_status=http_status,
    )
    if failure is None:
        if reason:
            sentence = _("The gateway reported an error while answering: %(reason)s") % {
                "reason": reason
            }
        else:
            sentence = _("The gateway reported an error while answering.")
        failure = GatewayInterrupted(
            sentence,
            code="stream_error",
            permanent=True,
            status=http_status,
            raw=raw_text(raw),
        )
    return failure


def for_json_body(raw, content_type):
    """A 200 whose body is JSON or HTML rather than an event stream."""
    try:
        error = error_object(json.loads(raw))
    except ValueError:
        error = None
    if error and error["message"]:
        return GatewayRejected(
            _("The gateway reported an error: %(reason)s") % {"reason": short_reason(error)},
            status=200,
            raw=raw_text(raw),
        )
    return GatewayBadResponse(
        _("The gateway sent a response that is not a chat completion stream (%(type)s).")
        % {"type": content_type or _("no content type")},
        status=200,
        raw=raw_text(raw),
    )
