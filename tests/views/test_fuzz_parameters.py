"""Every view of the app, every parameter name it reads, malformed values
(issue 17, finding 14): each answer is a page, a redirect or a refusal, never
a 500. Before, `/c/?after=2026-13-45T00:00:00|1` (a well-formed but impossible
date in the sidebar's cursor) answered 500.

The URLs come from chat/urls.py and the accounts' own, so a new view is swept
as soon as it exists."""

import re
import uuid

import pytest
from django.test import Client
from django.urls import URLPattern, get_resolver

from tests.support.review import answers, attach_image, make_conversation

pytestmark = pytest.mark.django_db

# Every name a view or form of the app reads from GET or POST.
PARAMS = [
    "q", "after", "before", "turns", "message", "detail", "url", "left", "top", "width",
    "height", "title", "rating", "comment", "model", "temperature", "max_tokens",
    "instructions", "value", "file", "page", "then", "action", "tag", "next", "username",
    "password", "old_password", "new_password1", "new_password2", "email",
]  # fmt: skip
MALFORMED = [
    "2026-13-45T00:00:00|1", "2026-01-01T00:00:00+00:00|99999999999999999999999",
    "2026-01-01T00:00:00|²", "|", "-1", "1e309", "NaN", "-inf", "９", "0x10", "", " ",
    "\x00", "a" * 10_000, "[]", "{}", "'; DROP TABLE chat_message; --", "%ff",
    "../../etc/passwd", "true", "\u202e", "😀" * 300,
]  # fmt: skip


def app_urls(conversation, image, answer):
    """Each URL pattern of the site outside the admin, its arguments filled in."""
    urls = []

    def walk(patterns, prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLPattern):
                urls.append(route)
            elif not route.startswith("admin/"):
                walk(pattern.url_patterns, route)

    walk(get_resolver().url_patterns)
    filled = []
    for route in urls:
        code = image.code if route.startswith("images/") else conversation.code
        if route.startswith("documents/") or "uidb64" in route:
            code = uuid.uuid4()
        route = route.replace("<uuid:code>", str(code)).replace("<int:pk>", str(answer.pk))
        route = route.replace("<uidb64>", "MQ").replace("<token>", "set-password")
        # Any other argument (a view added later): a value that finds nothing.
        route = re.sub(r"<uuid:\w+>", str(uuid.uuid4()), route)
        route = re.sub(r"<int:\w+>", "987654", route)
        route = re.sub(r"<(?:str|slug|path:)?:?\w+>", "no-such-thing", route)
        filled.append("/" + route.lstrip("^").rstrip("$"))
    return filled


@pytest.fixture
def site(alice):
    conversation = make_conversation(alice, turns=2)
    image = attach_image(conversation.messages.first())
    return app_urls(conversation, image, answers(conversation)[0])


def test_it_sweeps_every_view_of_the_app(site):
    assert {"/c/", "/upload/", "/login/", "/csp-report/"} <= set(site)
    assert not [url for url in site if "<" in url], "a URL argument left unfilled"


def test_it_never_answers_500_to_malformed_parameters(site, alice):
    client = Client(raise_request_exception=False)
    failures = []
    # Those that end the session or the conversation last, so the rest see both.
    for url in sorted(site, key=lambda url: "logout" in url or "delete" in url):
        client.force_login(alice)
        for value in MALFORMED:
            data = dict.fromkeys(PARAMS, value)
            for method in (client.get, client.post):
                status = method(url, data).status_code
                if status >= 500:
                    failures.append((method.__name__, url, value[:40], status))

    assert failures == []


def test_it_refuses_an_impossible_sidebar_cursor_with_a_sentence(alice_client):
    """Failed before: 500 (parse_datetime raised on month 13, day 45)."""
    response = alice_client.get("/c/", {"after": "2026-13-45T00:00:00|1"})

    assert response.status_code == 400
    assert response.json() == {
        "error": "After: The list's position (“after”) is not one this list gave: reload the page."
    }
