"""The kinds of gateway failure, one GatewayError class each; chat/gateway/failures.py
reads a failure into one of them, with our sentence.

Gateways and the proxies in front of them (LiteLLM, OpenRouter, vLLM) say the
same few things in many shapes. `for_response` reads an HTTP error,
`for_event` an error that arrives inside the stream (`for_json_body` a 200 that
is not a stream), and each sorts it into one kind of failure:

    body = ('{"error": {"message": "litellm.BadRequestError: OpenAIException - Invalid image'
            '\\n\\nLiteLLM: model group ...", "code": "400"}}')
    failures.for_response(400, body, {}, model="gpt-4o")
    # GatewayRejected("The gateway refused the request (400): Invalid image")

    chunk = {"error": {"message": "litellm.APIConnectionError: ... Connection error.",
                       "type": None, "code": "500"}}
    failures.for_event(failures.error_object(chunk), raw=json.dumps(chunk), model="gpt-4o")
    # GatewayInterrupted("The connection to the gateway broke off ...", permanent=False)

The user gets our sentence for the kind, never the proxy's wording: only a
refused request carries the upstream's own short reason, with the proxy's
class names and footers cut off. What the gateway really said is kept on the
error as `raw` (key redacted) for review and the logs.
"""


class GatewayError(Exception):
    """A failed model call. `message` is for the user; `permanent` means it is not retried."""

    code = "gateway_error"
    permanent = True

    def __init__(
        self, message, *, code=None, permanent=None, status=None, retry_after=None, raw=""
    ):
        super().__init__(message)
        self.message = message
        self.code = code or self.code
        if permanent is not None:
            self.permanent = permanent
        self.status = status
        self.retry_after = retry_after  # seconds the gateway asked us to wait, if it said
        self.raw = raw  # what the gateway said, for review and logs; never for the user


class GatewayAuthError(GatewayError):
    """No key, or the gateway refused it (401, 403)."""

    code = "unauthorized"


class GatewayRejected(GatewayError):
    """The gateway refused this request (400, 404, 413, other 4xx): resending it won't help."""

    code = "bad_request"


class GatewayQuotaExceeded(GatewayError):
    """The gateway account is out of quota or credit: only its administrator can fix it."""

    code = "quota_exceeded"


class GatewayRateLimited(GatewayError):
    code = "rate_limited"
    permanent = False


class GatewayUnavailable(GatewayError):
    """Connect errors, 408 and 5xx: the gateway may be back in a moment."""

    code = "gateway_unavailable"
    permanent = False


class GatewayTimeout(GatewayError):
    code = "timeout"


class GatewayBadResponse(GatewayError):
    """The gateway answered with something that is not a chat completion stream."""

    code = "bad_response"


class GatewayInterrupted(GatewayError):
    """The stream ended before the answer was finished (cut, or an error object mid-stream)."""

    code = "interrupted"
    permanent = False
