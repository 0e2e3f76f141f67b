"""/healthz and /readyz, for the proxy and the orchestrator.

    GET /healthz   200 {"status": "ok"}: the process is up and its event loop turns
    GET /readyz    200 {"status": "ok", "checks": {"database": "ok", "channel_layer": "ok",
                                                   "storage": "ok"}}
                   503 when one failed (or this process is shutting down), saying which:
                   {"status": "failed", "checks": {"database": "ok",
                    "channel_layer": "failed: Error 111 connecting to 127.0.0.1:6379...", ...}}

They are answered in front of Django (an ASGI wrapper in tokengate_site/asgi.py):
no login, no host check, no session, cheap enough to poll every second. Each
check has CHECK_SECONDS; they run together.

This module knows the database and the storage; the runtime adds the channel
layer and "shutting down" (chat/live/readiness.py, at startup from chat/apps.py),
so operations import no domain code.
"""

import asyncio
import json
import logging
import os
from concurrent.futures import ThreadPoolExecutor

from asgiref.sync import sync_to_async
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import close_old_connections, connection

# Operators filter on this name: it stays "chat.health" wherever the module lives.
logger = logging.getLogger("chat.health")

CHECK_SECONDS = 3
# The storage check's own thread: one client for the bucket, reused, and a bucket
# that hangs delays only the next check, never the database thread.
_storage_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="readyz-storage")


def _database():
    # As Channels' database_sync_to_async: no connection past its age or broken.
    close_old_connections()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    finally:
        close_old_connections()


def _storage():
    if isinstance(default_storage, FileSystemStorage):
        os.makedirs(default_storage.location, exist_ok=True)
        if not os.access(default_storage.location, os.W_OK):
            raise OSError(f"{default_storage.location} is not writable")
    elif hasattr(default_storage, "bucket_name"):  # S3: HEAD on the bucket
        default_storage.connection.meta.client.head_bucket(Bucket=default_storage.bucket_name)


async def _storage_in_its_thread():
    await asyncio.get_running_loop().run_in_executor(_storage_thread, _storage)


# What /readyz runs (name: async function raising when it fails), in the order it
# lists them.
CHECKS = {
    "database": sync_to_async(_database),
    "storage": _storage_in_its_thread,
}
# What makes this process unready without being a service it uses (name: function
# returning why, or None); listed only when it does.
CONDITIONS = {}


def add_check(name, check, *, after=None):
    """Run `check` in /readyz too, listed after the check named `after` (or last)."""
    items = [item for item in CHECKS.items() if item[0] != name]
    at = len(items) if after is None else [n for n, _ in items].index(after) + 1
    items.insert(at, (name, check))
    CHECKS.clear()
    CHECKS.update(items)


def add_condition(name, reason):
    """/readyz fails with {name: "failed: <reason>"} whenever reason() returns one."""
    CONDITIONS[name] = reason


async def _run(check):
    try:
        async with asyncio.timeout(CHECK_SECONDS):
            await check()
        return "ok"
    except TimeoutError:
        return f"failed: no answer within {CHECK_SECONDS} s"
    except Exception as error:
        return f"failed: {' '.join(str(error).split())[:200] or type(error).__name__}"


async def readiness():
    """Return (ready, {check name: "ok" or "failed: why"})."""
    results = await asyncio.gather(*(_run(check) for check in CHECKS.values()))
    checks = dict(zip(CHECKS, results, strict=True))
    for name, reason in CONDITIONS.items():
        if why := reason():
            checks[name] = f"failed: {why}"
    ready = all(result == "ok" for result in checks.values())
    if not ready:
        logger.warning("not ready: %s", checks)
    return ready, checks


async def _respond(send, status, body):
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"cache-control", b"no-store")],
        }
    )
    await send({"type": "http.response.body", "body": json.dumps(body).encode()})


class Probes:
    """ASGI middleware answering /healthz and /readyz; everything else goes to `app`."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        path = scope.get("path") if scope["type"] == "http" else None
        if path == "/healthz":
            await _respond(send, 200, {"status": "ok"})
        elif path == "/readyz":
            ready, checks = await readiness()
            body = {"status": "ok" if ready else "failed", "checks": checks}
            await _respond(send, 200 if ready else 503, body)
        else:
            await self.app(scope, receive, send)
