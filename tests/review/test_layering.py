"""Review depends on chat, never the reverse: the chat page's modules work,
and can change, without review installed."""

import ast
from pathlib import Path

CHAT = Path(__file__).resolve().parents[2] / "chat"


def review_imports(source):
    """The imports of chat.review in a module's source, as written."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found += [n for n in names if n == "chat.review" or n.startswith("chat.review.")]
    return found


def test_it_keeps_the_chat_code_free_of_review_imports():
    modules = [p for p in CHAT.rglob("*.py") if CHAT / "review" not in p.parents]
    assert len(modules) > 30  # the glob found the chat package
    found = {str(p.relative_to(CHAT)): review_imports(p.read_text()) for p in modules}
    assert {name: imports for name, imports in found.items() if imports} == {}


def test_it_would_see_an_import_of_review():
    source = "import chat.review.queue\nfrom chat import review\nfrom chat.review.models import Tag"
    assert review_imports(source) == [
        "chat.review.queue", "chat.review", "chat.review.models", "chat.review.models.Tag",
    ]  # fmt: skip
