"""tokengate_site/settings.py read in a fresh interpreter, with exactly the
environment each test gives it (nothing inherited from the test run); every
variable it and features/ read is in tokengate_site/README.md's table."""

import json
import re
import subprocess
import sys

from tests.support.live import ROOT, clean_environment

# A variable read by a helper (envint("NAME", ...)), os.getenv or os.environ.
VARIABLE_READ = re.compile(r'(?:env\w*\(|os\.getenv\(|os\.environ\[)\s*"([A-Z][A-Z0-9_]+)"')

SHOW_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "LAYER": settings.CHANNEL_LAYERS["default"]["BACKEND"],
    "STORAGE": settings.STORAGES["default"]["BACKEND"],
    "STATIC_STORAGE": settings.STORAGES["staticfiles"]["BACKEND"],
    "API_KEY": settings.TOKENGATE_API_KEY,
}))
"""


def read_settings(**variables):
    return subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=ROOT, env=clean_environment(**variables), capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_it_runs_on_the_embedded_defaults_with_no_environment():
    result = read_settings()

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": True,
        "ENGINE": "django.db.backends.sqlite3",
        "LAYER": "chat.live.layers.InMemoryChannelLayer",
        "STORAGE": "django.core.files.storage.FileSystemStorage",
        "STATIC_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
        "API_KEY": "",
    }


def test_it_switches_to_the_production_services_by_environment():
    result = read_settings(
        DEBUG="false",
        SECRET_KEY="s3cret",
        DATABASE_URL="postgres://chat@db:5432/chat",
        REDIS_URL="redis://redis:6379/0",
        S3_BUCKET="images",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "DEBUG": False,
        "ENGINE": "django.db.backends.postgresql",
        "LAYER": "chat.live.layers.RedisPubSubChannelLayer",
        "STORAGE": "storages.backends.s3.S3Storage",
        "STATIC_STORAGE": "tokengate_site.storage.StaticFilesStorage",
        "API_KEY": "",
    }


def test_it_keeps_events_in_redis_queues_when_asked():
    result = read_settings(REDIS_URL="redis://redis:6379/0", REDIS_CHANNEL_LAYER="queues")

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["LAYER"] == "channels_redis.core.RedisChannelLayer"


def test_it_refuses_a_channel_layer_it_does_not_know():
    result = read_settings(REDIS_URL="redis://redis:6379/0", REDIS_CHANNEL_LAYER="streams")

    assert result.returncode != 0
    assert "REDIS_CHANNEL_LAYER must be pubsub or queues, not 'streams'" in result.stderr


def test_it_refuses_a_debug_that_is_neither_true_nor_false():
    result = read_settings(DEBUG="maybe")

    assert result.returncode != 0
    assert "ImproperlyConfigured: DEBUG must be true or false, not 'maybe'" in result.stderr


def test_it_refuses_a_timeout_that_is_not_a_number():
    result = read_settings(TOKENGATE_READ_TIMEOUT="abc")

    assert result.returncode != 0
    assert "ImproperlyConfigured: TOKENGATE_READ_TIMEOUT must be a number" in result.stderr


def test_it_refuses_to_run_without_debug_and_without_a_secret_key():
    result = read_settings(DEBUG="False")

    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SECRET_KEY when DEBUG is off." in result.stderr


def test_it_treats_an_empty_secret_key_as_missing():
    # SECRET_KEY=${SECRET_KEY} in a compose file gives an empty value, not none.
    result = read_settings(DEBUG="False", SECRET_KEY="")

    assert result.returncode != 0
    assert "ImproperlyConfigured: Set SECRET_KEY when DEBUG is off." in result.stderr


def test_every_variable_the_site_reads_is_in_its_configuration_table():
    # settings.py and each module of features/ read their own variables.
    read = set()
    for module in (ROOT / "tokengate_site").rglob("*.py"):
        read |= set(VARIABLE_READ.findall(module.read_text()))
    table = (ROOT / "tokengate_site/README.md").read_text().split("## Configuration in depth")[1]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))

    assert len(read) > 90  # the reading above still finds them
    assert sorted(read - documented) == []
