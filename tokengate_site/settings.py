"""Settings for TokenGate Vision Chat.

Everything that differs between a laptop and production is read from the
environment (see the README's "Configuration" table). With nothing set, the
embedded defaults apply: SQLite, the in-memory channel layer, local media files
and the offline demo model.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from tokengate_site.env import envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent

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
# The Redis channel layer: "pubsub" publishes each event once and keeps nothing
# (chat/live/layers.py); "queues" is channels-redis's RedisChannelLayer, which
# keeps each process's events in Redis for up to 60 s, at four round trips to
# send and four to receive each (see tokengate_site/README.md).
REDIS_CHANNEL_LAYER = os.getenv("REDIS_CHANNEL_LAYER", "pubsub").strip().lower()
if REDIS_CHANNEL_LAYER not in ("pubsub", "queues"):
    raise ImproperlyConfigured(
        f"REDIS_CHANNEL_LAYER must be pubsub or queues, not {REDIS_CHANNEL_LAYER!r}"
    )
REDIS_LAYER_CONNECTION = {
    # The queues layer blocks on BZPOPMIN for 5 s per receive; redis-py 8
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
if REDIS_URL and REDIS_CHANNEL_LAYER == "pubsub":
    from redis.connection import parse_url

    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "chat.live.layers.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, **REDIS_LAYER_CONNECTION}],
                # Pub/sub channels are not in a database: without the number in
                # their names, two sites on one Redis server (databases 0 and 1)
                # would hear each other's events, person-1's sidebar included.
                "prefix": f"asgi.db{parse_url(REDIS_URL).get('db', 0)}.",
            },
        }
    }
elif REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {
                "hosts": [{"address": REDIS_URL, **REDIS_LAYER_CONNECTION}],
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
# Behind TRUSTED_PROXIES proxies, the client's address is the TRUSTED_PROXIES-th
# entry from the right of X-Forwarded-For (chat/ops/client_address.py sets it as
# REMOTE_ADDR for everything, the login limits included); without, the peer's.
TRUSTED_PROXIES = envint("TRUSTED_PROXIES", "0")
AXES_CLIENT_IP_CALLABLE = "chat.ops.client_address.of_request"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "chat-home"
# Password-reset mail goes to the process's output (console backend) until
# EMAIL_HOST is set.
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

# Django refuses request bodies above this before any view runs; leave room for
# one image plus the multipart envelope.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

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

if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }

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

# The product's own settings, a module per part (features/__init__.py lists them).
from tokengate_site.features import *  # noqa: E402, F403

try:
    from .local_settings import *  # noqa: F403
except ImportError:
    pass
