"""Per-user limits (chat/limits.py), failed logins (django-axes), the
websocket's, and the largest request body (from the images', documents'
and imports' own limits)."""

from datetime import timedelta

from django.core.exceptions import ImproperlyConfigured

from tokengate_site.env import envfloat, envint
from tokengate_site.features.accounts import IMPORT_MAX_BYTES
from tokengate_site.features.documents import DOCUMENT_MAX_BYTES
from tokengate_site.features.images import IMAGE_MAX_BYTES

# Per-user limits (chat/limits.py); 0 switches one off.
LIMIT_MESSAGES_PER_MINUTE = envint("LIMIT_MESSAGES_PER_MINUTE", "20")
LIMIT_STREAMING_ANSWERS = envint("LIMIT_STREAMING_ANSWERS", "3")
LIMIT_UPLOADS_PER_MINUTE = envint("LIMIT_UPLOADS_PER_MINUTE", "30")
LIMIT_UPLOAD_BYTES_PER_DAY = envint("LIMIT_UPLOAD_BYTES_PER_DAY", str(1024 * 1024 * 1024))
LIMIT_URL_FETCHES_PER_MINUTE = envint("LIMIT_URL_FETCHES_PER_MINUTE", "10")
# Failed logins (django-axes): per account from one address, and per address
# across accounts, so no one can lock an owner out from the owner's address; the
# lockout ends by itself after LOGIN_LOCKOUT_MINUTES (chat/accounts/lockout.py).
AXES_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LOGIN_ADDRESS_FAILURE_LIMIT", "20")
AXES_COOLOFF_TIME = timedelta(minutes=envint("LOGIN_LOCKOUT_MINUTES", "15"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"], "ip_address"]
AXES_HANDLER = "chat.accounts.lockout.LoginLimits"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "chat.accounts.lockout.lockout_response"
# Larger websocket frames close the socket with 1009: room for the longest
# message, every character escaped.
WEBSOCKET_MAX_BYTES = envint("WEBSOCKET_MAX_BYTES", str(256 * 1024))
# A socket with more than this waiting to be sent (its client does not read)
# is closed with 1008 and dropped (chat/live/backpressure.py).
WEBSOCKET_MAX_QUEUED_BYTES = envint("WEBSOCKET_MAX_QUEUED_BYTES", str(4 * 1024 * 1024))
# What one socket may ask that costs a reply (resume and sync,
# chat/live/throttle.py): this many in a row, then one every so many seconds.
WEBSOCKET_REPLIES_BURST = envint("WEBSOCKET_REPLIES_BURST", "10")
WEBSOCKET_REPLIES_SECONDS = envfloat("WEBSOCKET_REPLIES_SECONDS", "2")
if WEBSOCKET_REPLIES_BURST < 1 or WEBSOCKET_REPLIES_SECONDS <= 0:
    raise ImproperlyConfigured(
        "WEBSOCKET_REPLIES_BURST must be at least 1 and WEBSOCKET_REPLIES_SECONDS above 0"
    )
# Any request body: one image or document plus its multipart envelope; larger ones are
# refused at the ASGI level (chat/ops/body_limit.py) before Django reads them.
REQUEST_MAX_BYTES = max(IMAGE_MAX_BYTES, DOCUMENT_MAX_BYTES) + 1024 * 1024
# The one path whose body may be larger than REQUEST_MAX_BYTES (chat/ops/body_limit.py).
REQUEST_MAX_BYTES_BY_PATH = {"/account/import/": IMPORT_MAX_BYTES}
