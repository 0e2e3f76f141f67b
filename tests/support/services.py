"""The outside services some tests need: Chromium, PostgreSQL, Redis.

On a developer machine a missing service skips the test that needs it, with the
reason. In CI (CI=true) everything is installed (see .ci/run), so a missing
service fails the test instead of silently skipping it.
"""

import os
import socket
import uuid
from contextlib import contextmanager

import pytest

CHROMIUM = "/usr/bin/chromium"
POSTGRES_ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
# The tests use this Redis database only, and flush only it. TEST_REDIS_URL
# picks another one, so that two checkouts can run their suites side by side.
REDIS_URL = os.getenv("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def require_service(available, reason):
    """Skip the calling test (fail it in CI) unless `available`."""
    if available:
        return
    if os.getenv("CI") == "true":
        pytest.fail(f"{reason}; CI must provide it (see .ci/run)", pytrace=False)
    pytest.skip(reason)


def port_open(host, port):
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


def require_chromium():
    require_service(os.access(CHROMIUM, os.X_OK), f"Chromium is not installed at {CHROMIUM}")


def require_postgres():
    require_service(port_open("127.0.0.1", 5432), "PostgreSQL is not running on 127.0.0.1:5432")


def require_redis():
    require_service(port_open("127.0.0.1", 6379), "Redis is not running on 127.0.0.1:6379")


@contextmanager
def throwaway_postgres_database():
    """Create an empty PostgreSQL database, yield its URL, and drop it afterwards."""
    import psycopg

    name = f"tokengate_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_URL, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def flushed_redis():
    """Yield REDIS_URL with its database empty, and empty it again afterwards."""
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    try:
        yield REDIS_URL
    finally:
        client.flushdb()
        client.close()
