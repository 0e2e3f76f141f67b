"""The layers of chat/, as rules on what each part may import.

Imports are read with ast from every module a rule covers, those inside functions
too, relative ones resolved; `from a import b` counts as importing a.b. Each rule
is also run on a module with a forbidden import added, to show it would fail.
"""

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHANNELS = ("channels", "channels_redis")


@dataclass(frozen=True)
class Rule:
    name: str
    scope: tuple  # folders and files, relative to the checkout
    forbidden: tuple  # module prefixes: "chat.live" is chat.live and chat.live.*
    allowed: tuple = ()  # exceptions to `forbidden`
    outside: tuple = ()  # parts of `scope` the rule leaves out
    example: tuple = ("", "")  # a forbidden import, and the name it is reported as

    def files(self):
        for entry in self.scope:
            path = ROOT / entry
            for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
                if not any(file.is_relative_to(ROOT / out) for out in self.outside):
                    yield file

    def breaks(self, name):
        return _under(name, self.forbidden) and not _under(name, self.allowed)


def _under(name, prefixes):
    return any(name == prefix or name.startswith(prefix + ".") for prefix in prefixes)


RULES = [
    Rule(
        "the gateway client knows neither the models nor the runtime nor Channels",
        scope=("chat/gateway",),
        forbidden=("chat.models", "chat.live", *CHANNELS),
        example=("from chat.models import Message", "chat.models.Message"),
    ),
    Rule(
        "only the runtime builds on Channels",
        scope=("chat", "tokengate_site"),
        outside=("chat/live", "tokengate_site/asgi.py", "tokengate_site/settings.py"),
        forbidden=CHANNELS,
        example=(
            "from channels.layers import InMemoryChannelLayer",
            "channels.layers.InMemoryChannelLayer",
        ),
    ),
    Rule(
        "operations import no domain code",
        scope=("chat/ops",),
        forbidden=("chat", "tokengate_site"),
        allowed=("chat.ops",),
        example=("from chat.live import turns", "chat.live.turns"),
    ),
    Rule(
        "images know neither Channels nor the gateway client nor the runtime",
        scope=("chat/images",),
        forbidden=("chat.gateway", "chat.live", *CHANNELS),
        example=("from chat import gateway", "chat.gateway"),
    ),
    Rule(
        "documents build on images, never on the runtime, the gateway or Channels",
        scope=("chat/documents",),
        forbidden=("chat.live", "chat.gateway", "chat.views", *CHANNELS),
        example=("from chat.live import payloads", "chat.live.payloads"),
    ),
    Rule(
        "answers' tables know neither the runtime nor the gateway nor Channels",
        scope=("chat/tables",),
        forbidden=("chat.live", "chat.gateway", "chat.views", *CHANNELS),
        example=("from chat.gateway import client", "chat.gateway.client"),
    ),
    Rule(
        "extraction is schemas and validation: no models, runtime, gateway or Channels",
        scope=("chat/extraction",),
        # Runs and the conversation both build on it, so it builds on neither.
        forbidden=("chat.models", "chat.live", "chat.gateway", "chat.views", *CHANNELS),
        example=("from chat.models import Message", "chat.models.Message"),
    ),
    Rule(
        "the page renderer is a process of its own: no Django, no chat code",
        scope=("chat/documents/renderer.py",),
        forbidden=("chat", "django", "tokengate_site"),
        example=("from django.conf import settings", "django.conf.settings"),
    ),
    Rule(
        "the models import nothing above them",
        scope=("chat/models",),
        forbidden=("chat", "tokengate_site", *CHANNELS),
        # Below the models: token arithmetic, Markdown, signal objects, the refusal base.
        allowed=(
            "chat.models",
            "chat.images.tokens",
            "chat.markdown",
            "chat.signals",
            "chat.refusals",
        ),  # fmt: skip
        example=("from chat.images import derivatives", "chat.images.derivatives"),
    ),
    Rule(
        "what the models build on imports no chat code",
        scope=("chat/images/tokens.py", "chat/markdown.py", "chat/signals.py", "chat/refusals.py"),
        forbidden=("chat", "tokengate_site"),
        example=("import chat.models", "chat.models"),
    ),
    Rule(
        "the package never imports the tests",
        scope=("chat", "tokengate_site"),
        forbidden=("tests",),
        example=("from tests.support.live import login", "tests.support.live.login"),
    ),
    Rule(
        "comparisons sit under the runtime: the live code reads them, not the reverse",
        scope=("chat/compare",),
        forbidden=("chat.live", "chat.views", "chat.review", *CHANNELS),
        example=("from chat.live import turns", "chat.live.turns"),
    ),
    Rule(
        "the studio builds on the gateway, images and models, never on the runtime",
        scope=("chat/studio",),
        # Its views hand images to the page in the runtime's payload shape.
        outside=("chat/studio/views.py",),
        forbidden=("chat.live", "chat.views", *CHANNELS),
        example=("from chat.live import turns", "chat.live.turns"),
    ),
    Rule(
        "datasets read chat's records, not its runtime (only the system prompt it sends)",
        scope=("chat/review/datasets",),
        forbidden=("chat.live", "chat.gateway", *CHANNELS),
        allowed=("chat.live.request_body.SYSTEM_PROMPT",),
        example=("from chat.live import turns", "chat.live.turns"),
    ),
    Rule(
        "review's pages are reached through its admin: nothing else in review imports them",
        scope=("chat/review",),
        outside=("chat/review/views", "chat/review/admin.py"),
        forbidden=("chat.review.views",),
        example=("from chat.review.views import summary", "chat.review.views.summary"),
    ),
    Rule(
        "each review page has a module of its own, and none imports another",
        scope=("chat/review/views",),
        outside=("chat/review/views/__init__.py",),
        forbidden=("chat.review.views",),
        example=("from chat.review.views import pairs", "chat.review.views.pairs"),
    ),
    Rule(
        "review depends on chat, never the reverse",
        scope=("chat",),
        outside=("chat/review",),
        forbidden=("chat.review",),
        example=("from chat.review import queue", "chat.review.queue"),
    ),
    Rule(
        "sharing builds on chat, never the reverse, and knows neither the runtime nor the gateway",
        scope=("chat",),
        outside=("chat/sharing", "chat/review"),
        forbidden=("chat.sharing",),
        example=("from chat.sharing import views", "chat.sharing.views"),
    ),
    Rule(
        "the share pages stream nothing and call no model",
        scope=("chat/sharing",),
        forbidden=("chat.live", "chat.gateway", *CHANNELS),
        example=("from chat.live import turns", "chat.live.turns"),
    ),
]


def imported(source, package):
    """(line, module) for every import in `source`, a module of `package`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join(parts + ([node.module] if node.module else []))
            found += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return found


def breaches(rule, path, source=None):
    """What the module at `path` (or `source` as if it were there) imports against `rule`."""
    relative = path.relative_to(ROOT)
    package = ".".join(relative.parts[:-1])
    if source is None:
        source = path.read_text()
    return [
        f"{relative}:{line}: {name}"
        for line, name in imported(source, package)
        if rule.breaks(name)
    ]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_it_keeps_each_layer_to_what_it_may_import(rule):
    assert all((ROOT / entry).exists() for entry in rule.scope + rule.outside)
    files = list(rule.files())
    assert files

    assert [breach for path in files for breach in breaches(rule, path)] == []


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.name)
def test_it_reports_a_forbidden_import_added_to_a_layer(rule):
    statement, reported = rule.example
    path = next(rule.files())
    # Inside a function, where an import that breaks a cycle usually hides.
    source = f"import json\n\n\ndef later():\n    {statement}\n"

    assert breaches(rule, path, source) == [f"{path.relative_to(ROOT)}:5: {reported}"]


def test_it_resolves_relative_imports_against_the_package():
    [gateway] = [rule for rule in RULES if rule.scope == ("chat/gateway",)]
    source = "from . import errors\nfrom ..models import Message\nfrom .. import live\n"

    found = breaches(gateway, ROOT / "chat/gateway/client.py", source)

    assert found == ["chat/gateway/client.py:2: chat.models.Message",
                     "chat/gateway/client.py:3: chat.live"]  # fmt: skip


def test_it_lets_a_layer_import_what_it_builds_on():
    [ops] = [rule for rule in RULES if rule.scope == ("chat/ops",)]
    source = "from chat.ops import metrics\nfrom chat import ops\nfrom django.db import connection"

    assert breaches(ops, ROOT / "chat/ops/health.py", source) == []
