"""What every response tells the browser: the Content-Security-Policy, the
private-image caching rules, and `check --deploy` with production settings."""

import json
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from chat.models import Conversation
from tests.support.live import ROOT, clean_environment
from tests.support.uploads import upload

pytestmark = pytest.mark.django_db

POLICY = {
    "default-src": {"'self'"},
    "script-src": {"'self'"},
    "style-src": {"'self'"},
    "img-src": {"'self'", "data:", "blob:"},
    "connect-src": {"'self'", "ws://testserver"},
    "font-src": {"'self'"},
    "object-src": {"'none'"},
    "base-uri": {"'none'"},
    "form-action": {"'self'"},
    "frame-ancestors": {"'none'"},
}


def policy(response):
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: set(values) for name, *values in directives if name}


def test_it_sends_the_strict_policy_on_every_page(alice, alice_client):
    conversation = Conversation.objects.create(owner=alice)
    staff = get_user_model().objects.create_superuser("reviewer", password="x" * 12)
    reviewer = Client()
    reviewer.force_login(staff)

    pages = [
        Client().get("/login/"),
        alice_client.get(f"/c/{conversation.code}/"),
        reviewer.get("/admin/"),
        reviewer.get(f"/admin/chat/conversation/{conversation.pk}/change/"),
        alice_client.get("/no-such-page/"),
    ]

    for response in pages:
        assert policy(response) == POLICY, response.request["PATH_INFO"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["Referrer-Policy"] == "same-origin"
        assert response["Cross-Origin-Opener-Policy"] == "same-origin"
        assert response["X-Content-Type-Options"] == "nosniff"


def test_it_allows_the_secure_websocket_origin_over_https(alice, alice_client):
    conversation = Conversation.objects.create(owner=alice)

    response = alice_client.get(f"/c/{conversation.code}/", secure=True)

    assert "wss://testserver" in policy(response)["connect-src"]
    assert "ws://testserver" not in policy(response)["connect-src"]


def test_it_sends_reports_where_the_operator_says(alice_client, settings):
    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {**settings.CONTENT_SECURITY_POLICY["DIRECTIVES"],
                       "report-uri": ["/csp-report/"]}
    }  # fmt: skip

    assert policy(Client().get("/login/"))["report-uri"] == {"/csp-report/"}


def test_it_logs_a_violation_report(caplog):
    report = {
        "csp-report": {
            "document-uri": "https://chat.example/c/1/",
            "violated-directive": "script-src-elem",
            "blocked-uri": "https://evil.example/x.js",
        }
    }

    response = Client().post(
        "/csp-report/", json.dumps(report), content_type="application/csp-report"
    )

    assert response.status_code == 204
    assert (
        "CSP violation: script-src-elem blocked https://evil.example/x.js "
        "on https://chat.example/c/1/"
    ) in caplog.text


def test_it_refuses_a_report_that_is_not_one():
    response = Client().post("/csp-report/", b"\xff\xfe", content_type="application/csp-report")

    assert response.status_code == 400
    assert response.content == b"A CSP report is a JSON object with a csp-report key."


def test_it_lets_browsers_keep_private_images_only_briefly(alice_client, png):
    uploaded = upload(alice_client, png, "wire.png").json()

    for url, name in [
        (uploaded["url"], "wire.png"),
        (uploaded["thumbnail_url"], "wire.webp"),
        (f"/images/{uploaded['id']}/original/", "wire.png"),
    ]:
        response = alice_client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "private, max-age=300"
        assert response["Content-Disposition"] == f'inline; filename="{name}"'
        assert response["X-Content-Type-Options"] == "nosniff"


def test_it_gives_an_image_a_safe_file_name(alice_client, jpeg):
    uploaded = upload(alice_client, jpeg, 'a "quoted" name; <b>é.svg').json()

    response = alice_client.get(f"/images/{uploaded['id']}/original/")

    # The user's name, cut to harmless characters, with the extension of what it is.
    assert response["Content-Disposition"] == 'inline; filename="a-quoted-name-b.jpg"'


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k2T9vXq-8wZ3LmN0pR5sB7yD1fH4jC6gE_aU9oI2eW8rT5yQ3zX7cV1bN4mK6lJ0",
    "ALLOWED_HOSTS": "chat.example.com",
    "CSRF_TRUSTED_ORIGINS": "https://chat.example.com",
    "DATABASE_URL": "sqlite:///:memory:",
}


def test_it_passes_the_deployment_checklist_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=ROOT, env=clean_environment(**PRODUCTION), capture_output=True, text=True, timeout=60,
    )  # fmt: skip

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."
    assert result.stderr == ""
