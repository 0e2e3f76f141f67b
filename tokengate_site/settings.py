"""Settings for TokenGate Vision Chat.

Everything that differs between a laptop and production is read from the
environment (see the README's "Configuration" table). With nothing set, the
embedded defaults apply: SQLite, the in-memory channel layer, local media files
and the offline demo model.
"""

import ipaddress
import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name, default):
    value = os.getenv(name, default).strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off", ""):
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def envint(name, default):
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envfloat(name, default):
    value = os.getenv(name, default)
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}") from None


def envlist(name, default):
    return [item.strip() for item in os.getenv(name, default).split(",") if item.strip()]


def parse_model_prices(value):
    """{model: (dollars per million tokens in, out)} from "model=in/out,..."."""
    prices = {}
    for item in filter(None, (part.strip() for part in value.split(","))):
        try:
            model, rates = item.split("=")
            per_input, per_output = (float(rate) for rate in rates.split("/"))
        except ValueError:
            raise ImproperlyConfigured(
                f"MODEL_PRICES items are model=input/output per million tokens, not {item!r}"
            ) from None
        prices[model.strip()] = (per_input, per_output)
    return prices


DEBUG = envbool("DEBUG", "True")

_DEV_SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
SECRET_KEY = os.getenv("SECRET_KEY") or _DEV_SECRET_KEY  # an empty value counts as unset
if not DEBUG and SECRET_KEY == _DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set SECRET_KEY when DEBUG is off.")

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "channels",
    "storages",
    "csp",
    "axes",
    "chat",
    "chat.review",
    "chat.sharing",
    "chat.accounts",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the browser's (Accept-Language, or the cookie the login page sets)...
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # ...unless the person chose one in their settings (chat/accounts/language.py).
    "chat.accounts.language.PersonLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "chat.ops.csp.CSPMiddleware",
    "chat.ops.permissions_policy.PermissionsPolicyMiddleware",
    # Last, as django-axes asks: it answers a locked-out login attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "tokengate_site.urls"
ASGI_APPLICATION = "tokengate_site.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite by default; DATABASE_URL (postgres://...) in production.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Kept open: Channels runs every query of a process on one thread, so
        # one connection serves it; opening one per query was the largest cost.
        conn_max_age=envint("CONN_MAX_AGE", "600"),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Answers are written from worker threads while pages read: WAL lets
    # readers and the one writer proceed together instead of "database is locked";
    # synchronous=NORMAL, the setting WAL is made for, syncs at checkpoints, not
    # at every commit (a power cut may lose the last commits, never the file).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

REDIS_URL = os.getenv("REDIS_URL", "")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [
                    {
                        "address": REDIS_URL,
                        # channels-redis blocks on BZPOPMIN for 5 s per receive; redis-py 8
                        # gives every socket a 5 s timeout by default, so idle consumers
                        # died with "Timeout reading from ...". A read timeout well above
                        # the blocking time, keep-alive, and a PING on connections idle
                        # for 30 s instead.
                        "socket_timeout": 30,
                        "socket_connect_timeout": 5,
                        "socket_keepalive": True,
                        "health_check_interval": 30,
                        # redis-py's pool holds 100 and refuses the 101st command at
                        # once (MaxConnectionsError): 200 answers publishing at once
                        # on a busy process lost their publishes to it.
                        "max_connections": 2000,
                    }
                ],
                # All of a process's sockets share one Redis list (channels-redis
                # keys a process-local channel by the process), and the capacity
                # applies to it: 1,000 was half a second of 100 sockets' events, so
                # a busy second dropped events for every socket. An
                # event left unread for 60 s is stale (the socket syncs instead).
                "capacity": 100_000,
                "expiry": 60,
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "chat.live.layers.InMemoryChannelLayer"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
# Behind TRUSTED_PROXIES proxies, the client's address is the TRUSTED_PROXIES-th
# entry from the right of X-Forwarded-For (chat/ops/client_address.py sets it as
# REMOTE_ADDR for everything, the login limits included); without, the peer's.
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", "0")
AXES_CLIENT_IP_CALLABLE = "chat.ops.client_address.of_request"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "chat-home"
# Accounts: self sign-up is off unless the operator turns it on. Password-reset
# mail goes to the process's output (console backend) until EMAIL_HOST is set.
SELF_SIGNUP = envbool("SELF_SIGNUP", "false")
EMAIL_HOST = os.getenv("EMAIL_HOST", "")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)
EMAIL_PORT = envint("EMAIL_PORT", "587")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "true")
DEFAULT_FROM_EMAIL = os.getenv("DEFAULT_FROM_EMAIL", "webmaster@localhost")
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
# English and Simplified Chinese, complete (locale/; tests/test_translations.py).
LANGUAGES = [("en", "English"), ("zh-hans", "简体中文")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.getenv("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.getenv("MEDIA_ROOT", BASE_DIR / "media"))

# S3-compatible storage when a bucket is named; local files otherwise.
S3_BUCKET = os.getenv("S3_BUCKET", "")
if S3_BUCKET:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.getenv("S3_ENDPOINT_URL") or None,
            "region_name": os.getenv("S3_REGION", "us-east-1"),
            "access_key": os.getenv("S3_ACCESS_KEY_ID") or None,
            "secret_key": os.getenv("S3_SECRET_ACCESS_KEY") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "tokengate_site.storage.StaticFilesStorage"
        )
    },
}
# Serve static files straight from static/ in development, so the quick start
# needs no collectstatic step.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: the gateway's limits (../shared/spec/gateway-vision-api.md).
IMAGE_MAX_BYTES = envint("IMAGE_MAX_BYTES", str(20 * 1024 * 1024))
IMAGE_MAX_PIXELS = envint("IMAGE_MAX_PIXELS", "50000000")
# Images decoded at once per process, the bytes of pixels they may hold
# together, and how many more may wait before "busy, try again" (chat/images/workers.py).
IMAGE_WORKERS = envint("IMAGE_WORKERS", "2")
IMAGE_DECODE_BUDGET = envint("IMAGE_DECODE_BUDGET", str(256 * 1024 * 1024))
IMAGE_WORKERS_WAITING = envint("IMAGE_WORKERS_WAITING", "8")
IMAGES_PER_MESSAGE = envint("IMAGES_PER_MESSAGE", "10")


def envturns(name, default):
    """ "all" (None) or a number of turns, at least 1."""
    value = os.getenv(name, default).strip().lower()
    if value == "all":
        return None
    turns = envint(name, default)
    if turns < 1:
        raise ImproperlyConfigured(f'{name} must be "all" or at least 1, not {value!r}')
    return turns


# Image URLs typed by the user are fetched once by the server (chat/images/fetch.py).
# gpt-4o is then sent the https URL itself; Gemini models, whose endpoint often
# refuses remote URLs, get the stored copy as a data URI. True sends the stored
# copy to every model.
IMAGE_URL_FETCH_ALL_MODELS = envbool("IMAGE_URL_FETCH_ALL_MODELS", "False")
IMAGE_FETCH_TIMEOUT = envfloat("IMAGE_FETCH_TIMEOUT", "10")
# Test-only: addresses the fetcher may reach although they are not public.
IMAGE_FETCH_ALLOWED_ADDRESSES = envlist("IMAGE_FETCH_ALLOWED_ADDRESSES", "")
# New conversations resend the images of the last N user turns ("all": every one).
IMAGE_HISTORY_TURNS = envturns("IMAGE_HISTORY", "all")
# Estimated input tokens a request may hold; the oldest turns go first.
HISTORY_TOKEN_BUDGET = envint("HISTORY_TOKEN_BUDGET", "100000")
# Documents (chat/documents/): PDFs and multi-page TIFFs, rendered page by page in a
# process of its own with these limits.
DOCUMENT_MAX_BYTES = envint("DOCUMENT_MAX_BYTES", str(50 * 1024 * 1024))
DOCUMENT_MAX_PAGES = envint("DOCUMENT_MAX_PAGES", "300")
DOCUMENT_PAGE_SECONDS = envfloat("DOCUMENT_PAGE_SECONDS", "20")
DOCUMENT_RENDER_SECONDS = envfloat("DOCUMENT_RENDER_SECONDS", "600")
DOCUMENT_RENDER_MEMORY_MB = envint("DOCUMENT_RENDER_MEMORY_MB", "1024")
# Django refuses request bodies above this before any view runs; leave room for
# one image plus the multipart envelope.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Any request body: one image or document plus its multipart envelope; larger ones are
# refused at the ASGI level (chat/ops/body_limit.py) before Django reads them.
REQUEST_MAX_BYTES = max(IMAGE_MAX_BYTES, DOCUMENT_MAX_BYTES) + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Per-user limits (chat/limits.py); 0 switches one off.
LIMIT_MESSAGES_PER_MINUTE = envint("LIMIT_MESSAGES_PER_MINUTE", "20")
LIMIT_STREAMING_ANSWERS = envint("LIMIT_STREAMING_ANSWERS", "3")
LIMIT_UPLOADS_PER_MINUTE = envint("LIMIT_UPLOADS_PER_MINUTE", "30")
LIMIT_UPLOAD_BYTES_PER_DAY = envint("LIMIT_UPLOAD_BYTES_PER_DAY", str(1024 * 1024 * 1024))
LIMIT_URL_FETCHES_PER_MINUTE = envint("LIMIT_URL_FETCHES_PER_MINUTE", "10")
# Runs (chat/runs/): items in one run; how long a process's claim on an item
# holds without renewal (a process that died gives its items back after it).
RUN_MAX_ITEMS = envint("RUN_MAX_ITEMS", "500")
RUN_LEASE_SECONDS = envint("RUN_LEASE_SECONDS", "30")
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

# The gateway. With no key, the offline demo model answers instead.
TOKENGATE_BASE_URL = os.getenv("TOKENGATE_BASE_URL", "https://gateway.mytokengate.com/v1")
TOKENGATE_API_KEY = os.getenv("TOKENGATE_API_KEY", "")
TOKENGATE_MODELS = envlist(
    "TOKENGATE_MODELS",
    "gpt-4o,gemini-2.5-flash-image,gemini-2.5-pro,"
    "gemini-3-pro-image-preview,gemini-3.1-flash-image-preview",
)
# Prices for the comparison's cost estimate (chat/compare/prices.py), dollars per
# million tokens in and out: "gpt-4o=2.5/10,gemini-2.5-pro=1.25/10". None by default.
MODEL_PRICES = parse_model_prices(os.getenv("MODEL_PRICES", ""))
# The models that make images (chat/studio/): the composer offers them an aspect
# ratio and size, sent as OpenRouter's "modalities" and "image_config" unless
# TOKENGATE_IMAGE_CONFIG is off (for gateways that refuse any unknown field).
TOKENGATE_IMAGE_MODELS = envlist(
    "TOKENGATE_IMAGE_MODELS",
    "gemini-2.5-flash-image,gemini-3-pro-image-preview,gemini-3.1-flash-image-preview",
)
TOKENGATE_IMAGE_CONFIG = envbool("TOKENGATE_IMAGE_CONFIG", "True")
# The models asked for an extraction's JSON with response_format json_schema
# (chat/extraction/); any other model is asked by instruction alone.
STRUCTURED_OUTPUT_MODELS = envlist(
    "STRUCTURED_OUTPUT_MODELS",
    "gpt-4o,gemini-2.5-flash-image,gemini-2.5-pro,"
    "gemini-3-pro-image-preview,gemini-3.1-flash-image-preview",
)
# The leaderboard of blind picks (/leaderboard/): for everyone, or staff only.
LEADERBOARD_STAFF_ONLY = envbool("LEADERBOARD_STAFF_ONLY", "False")
# Models that take the longest answer as max_completion_tokens (id prefixes).
TOKENGATE_COMPLETION_TOKENS_MODELS = envlist("TOKENGATE_COMPLETION_TOKENS_MODELS", "o1,o3,o4,gpt-5")
TOKENGATE_CONNECT_TIMEOUT = envfloat("TOKENGATE_CONNECT_TIMEOUT", "10")
TOKENGATE_READ_TIMEOUT = envfloat("TOKENGATE_READ_TIMEOUT", "120")
TOKENGATE_MAX_RETRIES = envint("TOKENGATE_MAX_RETRIES", "2")
# Answers streaming from the gateway at once, per process (one connection each).
TOKENGATE_MAX_CONNECTIONS = envint("TOKENGATE_MAX_CONNECTIONS", "1000")
# Backoff between retries: the base doubles per retry up to the maximum (seconds),
# as in the official OpenAI SDK. A Retry-After longer than the last one is not
# waited out: the user is told when to try again.
TOKENGATE_RETRY_BASE_SECONDS = envfloat("TOKENGATE_RETRY_BASE_SECONDS", "0.5")
TOKENGATE_RETRY_MAX_SECONDS = envfloat("TOKENGATE_RETRY_MAX_SECONDS", "8")
TOKENGATE_RETRY_AFTER_MAX_SECONDS = envfloat("TOKENGATE_RETRY_AFTER_MAX_SECONDS", "60")

# Answers: a streaming answer's process renews its heartbeat (with the partial
# text) every second; one not renewed for this long belonged to a process that
# died, and is settled as interrupted by any process (on start, then every third
# of this). On SIGTERM, `manage.py serve` lets running answers finish for the grace
# period before it saves and interrupts them.
ANSWER_ABANDONED_SECONDS = envfloat("ANSWER_ABANDONED_SECONDS", "30")
SHUTDOWN_GRACE_SECONDS = envfloat("SHUTDOWN_GRACE_SECONDS", "20")

# Review (chat/review/): the share of new conversations sampled into the queue
# (percent), how long a reviewer's claim on a queue item lasts, and how many
# independent reviews each queued conversation needs.
REVIEW_SAMPLE_PERCENT = envfloat("REVIEW_SAMPLE_PERCENT", "0")
REVIEW_CLAIM_MINUTES = envint("REVIEW_CLAIM_MINUTES", "30")
REVIEW_REQUIRED_REVIEWS = envint("REVIEW_REQUIRED_REVIEWS", "1")
# Hold a queued conversation open (one more review, up to the maximum) while its
# reviewers agree on less than this percent of their paired judgements; 0: off.
REVIEW_HOLD_BELOW_AGREEMENT = envint("REVIEW_HOLD_BELOW_AGREEMENT", "0")
REVIEW_HOLD_MAX_REVIEWS = envint("REVIEW_HOLD_MAX_REVIEWS", "5")
# Comparisons whose two answers reviewers judge blind (chat/review/pairs.py): this
# percent of blind picks, and every "both bad" unless turned off.
REVIEW_PAIR_SAMPLE_PERCENT = envfloat("REVIEW_PAIR_SAMPLE_PERCENT", "10")
REVIEW_PAIR_BOTH_BAD = envbool("REVIEW_PAIR_BOTH_BAD", "true")
if not 0 <= REVIEW_PAIR_SAMPLE_PERCENT <= 100:
    raise ImproperlyConfigured("REVIEW_PAIR_SAMPLE_PERCENT must be between 0 and 100.")
if not 0 <= REVIEW_HOLD_BELOW_AGREEMENT <= 100:
    raise ImproperlyConfigured("REVIEW_HOLD_BELOW_AGREEMENT must be between 0 and 100.")
if not 0 <= REVIEW_SAMPLE_PERCENT <= 100:
    raise ImproperlyConfigured("REVIEW_SAMPLE_PERCENT must be between 0 and 100.")
if REVIEW_CLAIM_MINUTES < 1 or REVIEW_REQUIRED_REVIEWS < 1:
    raise ImproperlyConfigured(
        "REVIEW_CLAIM_MINUTES and REVIEW_REQUIRED_REVIEWS must be at least 1."
    )

# Where `manage.py quickstart` keeps the demo login's password (git-ignored).
DEMO_LOGIN_FILE = Path(os.getenv("DEMO_LOGIN_FILE", BASE_DIR / ".demo-login"))

# Log lines as text, or as JSON objects (LOG_FORMAT=json); both carry the
# request id of the answer they belong to (chat/ops/request_ids.py).
LOG_FORMAT = os.getenv("LOG_FORMAT", "text").strip().lower()
if LOG_FORMAT not in ("text", "json"):
    raise ImproperlyConfigured(f'LOG_FORMAT must be "text" or "json", not {LOG_FORMAT!r}')
_LOG_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "chat.ops.request_ids.RequestIdFilter"},
        # The gateway key, however a gateway echoed it, never reaches a log line.
        "hide_key": {"()": "chat.gateway.redaction.KeyFilter"},
    },
    "formatters": {
        # Control characters in a message are escaped: a line is one record.
        "text": {
            "()": "chat.ops.log_text.TextFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s",
        },
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": _LOG_FIELDS,
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "hide_key"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "chat": {
            "handlers": ["console"],
            "level": os.getenv("LOG_LEVEL", "INFO"),
            "propagate": False,
        }
    },
}

# ---- Browser-side defence (chat/ops/csp.py; README "Security") ----------------
# No inline script or style, no eval: data reaches scripts through json_script
# and data- attributes. The websocket's origin is added per request.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],
        "connect-src": ["'self'"],
        "font-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Where browsers report violations: /csp-report/ logs them (chat.csp). Not a
# CSP_* setting, a name django-csp 4 reserves for its old format.
if os.getenv("CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [os.environ["CSP_REPORT_URI"]]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# How long a browser may keep a private image (seconds): short, so a shared
# computer does not keep someone's photos long after they log out.
IMAGE_CACHE_SECONDS = envint("IMAGE_CACHE_SECONDS", "300")

# ---- Share links (chat/sharing/) ------------------------------------------------
# The public pages are rendered at most once per SHARE_CACHE_SECONDS per link, and
# each address may ask for SHARE_REQUESTS_PER_MINUTE pages and images (0: no limit),
# counted in the cache: Redis when REDIS_URL is set, so every process shares it.
SHARE_CACHE_SECONDS = envint("SHARE_CACHE_SECONDS", "10")
SHARE_REQUESTS_PER_MINUTE = envint("SHARE_REQUESTS_PER_MINUTE", "120")
# Your data (chat/accounts/): an account with more images than this, or more
# bytes of images and documents, has its archive built in the background; a
# closed account's data is kept this many days for review, then deleted by the
# daily purge_closed_accounts (0: deleted at once).
EXPORT_INLINE_IMAGES = envint("EXPORT_INLINE_IMAGES", "20")
EXPORT_INLINE_BYTES = envint("EXPORT_INLINE_BYTES", str(50 * 1024 * 1024))
CLOSED_ACCOUNT_RETENTION_DAYS = envint("CLOSED_ACCOUNT_RETENTION_DAYS", "30")
# Imports (ChatGPT, Open WebUI exports): the upload's size, and what its zip
# may unpack to in all (a zip bomb stops there with a sentence).
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", str(512 * 1024 * 1024))
IMPORT_MAX_UNPACKED_BYTES = envint("IMPORT_MAX_UNPACKED_BYTES", str(2 * 1024 * 1024 * 1024))
# The one path whose body may be larger than REQUEST_MAX_BYTES (chat/ops/body_limit.py).
REQUEST_MAX_BYTES_BY_PATH = {"/account/import/": IMPORT_MAX_BYTES}
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }


def envnetworks(name, default):
    try:
        return [ipaddress.ip_network(item, strict=False) for item in envlist(name, default)]
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from None


# /metrics (chat/ops/metrics.py): for a bearer token, or from these addresses or
# networks; with neither, for no one.
METRICS_TOKEN = os.getenv("METRICS_TOKEN", "")
METRICS_ALLOWED_ADDRESSES = envnetworks("METRICS_ALLOWED_ADDRESSES", "")

if not DEBUG:
    SESSION_COOKIE_SECURE = envbool("SECURE_COOKIES", "True")
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    # The TLS proxy in front says which requests came over HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(SESSION_COOKIE_SECURE))
    # Probes from inside the network speak plain HTTP to daphne.
    SECURE_REDIRECT_EXEMPT = [r"^healthz/?$", r"^readyz/?$", r"^metrics/?$"]
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "31536000")
    SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", "True")
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", "True")

try:
    from .local_settings import *  # noqa: F403
except ImportError:
    pass
