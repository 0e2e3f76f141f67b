"""The READMEs stay true to the tree: every repository path a README.md names
exists, and the front README stays short, with exactly the two Quick start
commands (CI runs the test one word for word, .ci/run)."""

import fnmatch
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Folders that are not the project's own: environments, vendored libraries, output.
SKIPPED_FOLDERS = {"node_modules", "vendor", "__pycache__", "build", "media", "staticfiles"}
EXTENSIONS = {
    "py", "js", "mjs", "css", "html", "md", "png", "svg", "toml", "json", "txt", "sh", "cfg"
}  # fmt: skip
FENCE = re.compile(r"^ {0,3}(```|~~~).*?^ {0,3}\1[^\n]*$", re.MULTILINE | re.DOTALL)
CODE_SPAN = re.compile(r"`((?:[^`\n]|\n(?![ \t]*\n))+)`")  # may wrap, not across paragraphs
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
PATH_SHAPED = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*/?")
CLASS_ATTRIBUTE = re.compile(r"[A-Z][a-z]\w*\.\w+")  # Message.html is no file
MEDIA_TYPE = re.compile(r"(image|text|application|audio|video|multipart)/[a-z0-9.+-]+")


def readmes():
    found = []
    for path in sorted(ROOT.rglob("README.md")):
        parts = path.relative_to(ROOT).parts[:-1]
        if any(part.startswith(".") or part in SKIPPED_FOLDERS for part in parts):
            continue
        if any(part.endswith(".egg-info") for part in parts):
            continue
        found.append(path)
    return found


def ignored_by_git(candidate):
    """A path .gitignore names (a virtualenv, media/, the demo login) is made by
    running the app, so a fresh clone does not have it."""
    patterns = [
        line.strip().rstrip("/")
        for line in (ROOT / ".gitignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    first = candidate.strip("/").split("/")[0]
    whole = candidate.strip("/")
    return any(fnmatch.fnmatch(first, p) or fnmatch.fnmatch(whole, p) for p in patterns)


def looks_like_a_path(token):
    if "://" in token or token.startswith(("/", "~", "-")) or not PATH_SHAPED.fullmatch(token):
        return False
    if MEDIA_TYPE.fullmatch(token) or CLASS_ATTRIBUTE.fullmatch(token):
        return False
    if "/" in token:
        return True
    return "." in token and token.rsplit(".", 1)[1] in EXTENSIONS


def missing_paths(text, folder):
    """The repository paths `text` names that exist neither from the repository's
    root nor from `folder` (links: from `folder` only, as GitHub resolves them).

    In code spans, a name with a slash counts as a path when its first part is
    in the tree (so a model id such as openai/gpt-4o or a network is not one)."""
    prose = FENCE.sub("", text)
    missing = []
    for token in CODE_SPAN.findall(prose):
        token = token.strip()
        if not looks_like_a_path(token) or ignored_by_git(token):
            continue
        first = token.split("/")[0]
        if "/" in token and not any((base / first).exists() for base in (ROOT, folder)):
            continue
        if not ((ROOT / token).exists() or (folder / token).exists()):
            missing.append(token)
    for target in LINK.findall(prose):
        target = target.split("#", 1)[0]
        if not target or ":" in target or target.startswith("/"):
            continue
        if not (folder / target).exists():
            missing.append(target)
    return missing


def quick_start_commands(text):
    section = re.search(r"^## Quick start\n(.*?)(?=^## |\Z)", text, re.MULTILINE | re.DOTALL)
    assert section, "the front README has no '## Quick start' section"
    body = section.group(1)
    commands = []
    for block in FENCE.finditer(body):
        lines = block.group(0).splitlines()[1:-1]
        commands += [line.strip() for line in lines if line.strip()[:1] not in ("", "#")]
    indented = [line for line in FENCE.sub("", body).splitlines() if line.startswith("    ")]
    return commands, indented


def test_it_finds_every_package_readme():
    names = {str(path.relative_to(ROOT)) for path in readmes()}
    assert {"README.md", "chat/README.md", "chat/live/README.md"} <= names


def test_it_finds_no_missing_path_in_any_readme():
    missing = {
        str(path.relative_to(ROOT)): missing_paths(path.read_text(), path.parent)
        for path in readmes()
    }
    assert {name: paths for name, paths in missing.items() if paths} == {}


def test_it_reports_a_path_that_does_not_exist():
    text = """
Run `manage.py purge_conversations --older-than DAYS
--deleted-only` first: the old `chat/consumers.py` is gone, see [the guide](docs/guide.md).
The consumer is in `chat/live/consumer.py`, its helpers in `chat/live/` and `turns.py`
(from chat/live/).
Not paths: `Message.html`, `/healthz`, `https://example.com/a/b.py`, `image/jpeg`, `media/`,
`.venv/bin/python`, `DEBUG`, `chat.gateway`, `0.5`, `GET /c/<code>/messages/`,
`openai/gpt-4o`, `10.0.0.0/8`.

```
cat chat/also_missing.py    # commands in a fence are not read
```
"""
    assert missing_paths(text, ROOT / "chat" / "live") == ["chat/consumers.py", "docs/guide.md"]


def test_it_keeps_the_front_readme_under_20_kb():
    assert len((ROOT / "README.md").read_bytes()) < 20_000


def test_it_has_exactly_the_two_quick_start_commands():
    commands, indented = quick_start_commands((ROOT / "README.md").read_text())
    assert indented == [], "a command indented outside the fenced blocks"
    assert len(commands) == 2, commands
    assert any("manage.py quickstart" in command for command in commands)
    ci = (ROOT / ".ci" / "run").read_text()
    ci_command = re.search(r"^# The README's test command.*\n(.+)$", ci, re.MULTILINE).group(1)
    assert ci_command.strip() in commands, "CI runs the README's test command word for word"
