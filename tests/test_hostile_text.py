"""Hostile text, from users and from models: stored as sent, shown as text,
and never able to freeze the server's renderer."""

import threading
from html.parser import HTMLParser

import pytest

from chat import markdown
from chat.models import Conversation, Message
from tests.support.websocket import open_socket, receive_until

# Model output that tries to become markup, or to make the renderer work forever.
HOSTILE_OUTPUT = {
    "script": "<script>alert(1)</script>",
    "img onerror": '<img src=x onerror="alert(1)">',
    "javascript link": "[click](javascript:alert(1))",
    "data link": "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "vbscript autolink": "<vbscript:msgbox(1)>",
    "svg": '<svg onload="alert(1)"><circle r="5"/></svg>',
    "iframe": '<iframe src="https://evil.example"></iframe>',
    "style": '<p style="position:fixed;inset:0">cover</p>',
    "html link title": '[x](https://ok.example "a\\" onmouseover=\\"alert(1)")',
    "one 1 MB line": "word " * 200_000,
    "10,000 nested list markers": "- " * 10_000 + "deep",
    "10,000 nested quotes": "> " * 10_000 + "deep",
    "emphasis delimiters": "*_" * 100_000,
    "open brackets": "[" * 100_000 + "x",
    "backticks": "`" * 100_000,
    "table": "|a|b|\n|-|-|\n" + "|x|y|\n" * 20_000,
}
SAFE_TAGS = set(markdown._ALLOWED_TAGS)
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def harmful(html):
    """What in `html` could run script, load something, or restyle the page."""
    problems = []
    for tag, attrs in Elements(html).found:
        if tag not in SAFE_TAGS:
            problems.append(tag)
        for name, value in attrs.items():
            if name.startswith("on") or name in ("style", "src", "srcset", "action"):
                problems.append(f"{tag} {name}")
            if name == "href" and not (value or "").lower().startswith(SAFE_SCHEMES):
                problems.append(f"href {value}")
    return problems


def render_within(text, seconds=60):
    """Render in a thread; a renderer that freezes fails the test instead of the suite."""
    result = {}
    worker = threading.Thread(target=lambda: result.update(html=markdown.render(text)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the renderer did not finish"
    return result["html"]


@pytest.mark.parametrize("name", HOSTILE_OUTPUT)
def test_it_renders_hostile_model_output_harmlessly(name):
    html = render_within(HOSTILE_OUTPUT[name])

    assert harmful(html) == [], html[:500]


def test_it_shows_html_from_the_model_as_text():
    html = render_within("<script>alert(1)</script>")

    assert html == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>\n"


def test_it_keeps_nesting_shallow_for_10000_list_markers():
    html = render_within("- " * 10_000 + "deep")

    # markdown-it stops nesting at its limit instead of recursing 10,000 deep.
    assert 0 < html.count("<ul>") <= 100


# What users type that could break a page or a database.
HOSTILE_INPUT = {
    "right-to-left override": "price \u202e0001\u202c euros",
    "zero-width characters": "in\u200bvis\u200dible\ufeff join\u2060er",
    "control characters": "bell\x07 escape\x1b[31m backspace\x08 tab\t done",
    "combining marks": "Z\u0351\u0352\u0353\u0354\u0355\u0356\u0357",
    "a 20,000-character word": "a" * 19_990,
    "emoji and astral": "\U0001f600\U0001f9d1\u200d\U0001f680 \U00010348",
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", HOSTILE_INPUT)
async def test_it_stores_hostile_text_exactly_as_sent(alice, alice_client, upstream, name):
    text = HOSTILE_INPUT[name]
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, _, _ = await open_socket(conversation, alice_client)

    await communicator.send_json_to({"action": "send", "text": text, "model": "gpt-4o"})
    events = await receive_until(communicator, "done", "error")
    await communicator.disconnect()

    assert events[0]["message"]["text"] == text
    stored = await Message.objects.aget(conversation=conversation, role="user")
    assert stored.text == text
    assert upstream.requests[0].body["messages"][-1]["content"][-1]["text"] == text


@pytest.mark.django_db(transaction=True)
async def test_it_refuses_a_nul_character_which_no_database_stores(alice, alice_client):
    conversation = await Conversation.objects.acreate(owner=alice)
    communicator, _, _ = await open_socket(conversation, alice_client)

    await communicator.send_json_to({"action": "send", "text": "a\x00b", "model": "gpt-4o"})
    refusal = await communicator.receive_json_from()
    await communicator.disconnect()

    assert refusal["error"] == (
        "The message holds characters that cannot be stored (NUL or a lone surrogate)."
    )
    assert await Message.objects.acount() == 0
