"""The app as it runs for real: daphne subprocesses on loopback ports, for the
tests and for the benchmark (chat/bench/), which is why it lives in the package.

A Site is one database and one media folder (and, given REDIS_URL, one channel
layer) with its own environment; it is migrated with `python -m django` in that
same environment, and any number of daphne processes (`serve`) can serve it:

    site = Site(tmp_path, TOKENGATE_BASE_URL=upstream.url, TOKENGATE_API_KEY="sk-test")
    site.migrate()
    site.create_user("alice")
    server = site.start_server()        # waits until the port answers
    ...
    site.stop()
"""

import os
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import chat

# Where the chat and tokengate_site packages are imported from (the checkout, or
# site-packages when installed): the working directory of every process started
# with `python -m`, so they import the same code as this one.
SOURCE_ROOT = Path(chat.__file__).resolve().parents[1]
# manage.py without the checkout: clean_environment names the settings module.
DJANGO = [sys.executable, "-m", "django"]
PASSWORD = "correct horse battery staple"

# Everything tokengate_site/settings.py reads: a Site inherits none of it from
# the environment the tests run in, so what it runs on is what the test says.
SETTINGS_VARIABLES = {
    "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL", "CONN_MAX_AGE", "REDIS_URL", "REDIS_CHANNEL_LAYER", "S3_BUCKET",
    "S3_ENDPOINT_URL", "S3_REGION",
    "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "MEDIA_ROOT", "STATIC_ROOT", "SECURE_COOKIES",
    "TOKENGATE_BASE_URL", "TOKENGATE_API_KEY", "TOKENGATE_MODELS", "TOKENGATE_CONNECT_TIMEOUT",
    "TOKENGATE_READ_TIMEOUT", "TOKENGATE_MAX_RETRIES", "TOKENGATE_MAX_CONNECTIONS",
    "TOKENGATE_RETRY_BASE_SECONDS", "TOKENGATE_RETRY_MAX_SECONDS",
    "TOKENGATE_RETRY_AFTER_MAX_SECONDS", "IMAGE_MAX_BYTES",
    "IMAGE_MAX_PIXELS", "IMAGE_WORKERS", "IMAGE_DECODE_BUDGET", "IMAGE_WORKERS_WAITING",
    "IMAGES_PER_MESSAGE", "IMAGE_URL_FETCH_ALL_MODELS", "IMAGE_FETCH_TIMEOUT",
    "IMAGE_FETCH_ALLOWED_ADDRESSES", "IMAGE_HISTORY", "HISTORY_TOKEN_BUDGET", "LOG_LEVEL",
    "DEMO_LOGIN_FILE", "REVIEW_SAMPLE_PERCENT", "REVIEW_PAIR_SAMPLE_PERCENT",
    "REVIEW_PAIR_BOTH_BAD", "REVIEW_CLAIM_MINUTES", "REVIEW_REQUIRED_REVIEWS",
    "TOKENGATE_COMPLETION_TOKENS_MODELS", "SELF_SIGNUP", "EMAIL_HOST", "EMAIL_PORT",
    "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD", "CSP_REPORT_URI",
    "IMAGE_CACHE_SECONDS",
    "LOGIN_FAILURE_LIMIT", "LOGIN_ADDRESS_FAILURE_LIMIT", "LOGIN_LOCKOUT_MINUTES",
    "TRUSTED_PROXIES", "LIMIT_MESSAGES_PER_MINUTE",
    "LIMIT_STREAMING_ANSWERS", "LIMIT_UPLOADS_PER_MINUTE", "LIMIT_UPLOAD_BYTES_PER_DAY",
    "LIMIT_URL_FETCHES_PER_MINUTE", "WEBSOCKET_MAX_BYTES", "WEBSOCKET_MAX_QUEUED_BYTES",
    "ANSWER_ABANDONED_SECONDS", "SHUTDOWN_GRACE_SECONDS", "LOG_FORMAT",
    "METRICS_TOKEN", "METRICS_ALLOWED_ADDRESSES", "PROMETHEUS_MULTIPROC_DIR",
}  # fmt: skip


def clean_environment(**variables):
    """os.environ without the app's settings, plus `variables`."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="tokengate_site.settings", PYTHONUNBUFFERED="1")
    env.update(variables)
    return env


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, *, timeout=10, interval=0.05, message="condition"):
    """Poll `condition` until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while True:
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise TimeoutError(f"{message} not met within {timeout} s")
        time.sleep(interval)


class Site:
    """One database and media folder, with the environment every process of it gets."""

    def __init__(self, workdir, **variables):
        self.workdir = Path(workdir)
        self.workdir.mkdir(parents=True, exist_ok=True)
        defaults = {
            "DATABASE_URL": f"sqlite:///{self.workdir / 'db.sqlite3'}",
            "MEDIA_ROOT": str(self.workdir / "media"),
            "STATIC_ROOT": str(self.workdir / "static"),
            "DEMO_LOGIN_FILE": str(self.workdir / "demo-login"),
            "TOKENGATE_API_KEY": "",
            # Nothing listens on the discard port: a test that reaches the gateway
            # without pointing the site at a fake one fails quickly.
            "TOKENGATE_BASE_URL": "http://127.0.0.1:9/v1",
            "TOKENGATE_MAX_RETRIES": "0",
            # A test that leaves an answer running does not hold up the teardown.
            "SHUTDOWN_GRACE_SECONDS": "3",
        }
        self.env = clean_environment(**{**defaults, **variables})
        self.servers = []

    def manage(self, *args, **variables):
        """Run a management command in the site's environment (plus `variables`);
        return its stdout."""
        result = subprocess.run(
            [*DJANGO, *args],
            cwd=SOURCE_ROOT, env={**self.env, **variables}, capture_output=True, text=True,
            timeout=120,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result.stdout

    def migrate(self):
        self.manage("migrate", "--noinput", "-v", "0")

    def create_user(self, username, password=PASSWORD):
        # Through the environment, so no quoting can go wrong.
        self.manage(
            "shell",
            "-c",
            "import os; from django.contrib.auth.models import User; "
            "User.objects.create_user(os.environ['NEW_USERNAME'], "
            "password=os.environ['NEW_PASSWORD'])",
            NEW_USERNAME=username,
            NEW_PASSWORD=password,
        )

    def start_server(self, port=None, args=(), **variables):
        """Start a process (with `serve`'s `args` and `variables` added to its
        environment); wait until it listens."""
        server = Server(self, port or free_port(), args, **variables)
        self.servers.append(server)
        server.wait_until_ready()
        return server

    def stop(self):
        for server in self.servers:
            server.stop()

    def query(self, sql, *params):
        """Rows from the site's database; `sql` uses %s placeholders."""
        url = self.env["DATABASE_URL"]
        if url.startswith("sqlite:"):
            with closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as db:
                return db.execute(sql.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as db:
            return db.execute(sql, params).fetchall()


class Server:
    """One daphne process serving a Site, run as production runs it (`serve`)."""

    def __init__(self, site, port, args=(), **variables):
        self.site = site
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.ws_url = f"ws://127.0.0.1:{port}"
        self.log_path = site.workdir / f"daphne-{port}.log"
        self._log = open(self.log_path, "wb")
        self.process = subprocess.Popen(
            [*DJANGO, "serve", "--bind", "127.0.0.1", "--port", str(port), *args],
            cwd=SOURCE_ROOT, env={**site.env, **variables},
            stdout=self._log, stderr=subprocess.STDOUT,
        )  # fmt: skip

    def log(self):
        return self.log_path.read_text(errors="replace")

    def wait_until_ready(self, timeout=30):
        def answering():
            if self.process.poll() is not None:
                raise RuntimeError(f"daphne exited with {self.process.returncode}:\n{self.log()}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return True
            except OSError:
                return False

        wait_for(answering, timeout=timeout, message=f"daphne answering on port {self.port}")

    def signal(self, number):
        self.process.send_signal(number)

    def wait_for_exit(self, timeout=30):
        """Wait for the process to end; return its exit code."""
        return self.process.wait(timeout=timeout)

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
