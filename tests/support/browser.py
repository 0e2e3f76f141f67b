"""Helpers for the Playwright tests of the conversation page (sync API).

The fixtures that use them (`browser`, `alice_context`, `page`) live in
tests/conftest.py; a run of browser tests shares one Chromium (SharedChromium),
each browser test module gets one site and one logged-in context, and each test
its own conversation.
"""

import base64
import os
import tempfile
from pathlib import Path

import pytest

from tests.support.images import image_bytes
from tests.support.live import PASSWORD
from tests.support.services import CHROMIUM, require_chromium

# Importing this module skips the importing test module when Playwright is missing.
expect = pytest.importorskip("playwright.sync_api").expect

# The README's screenshots are rewritten only when asked (WRITE_SCREENSHOTS=1),
# so an ordinary run leaves the checkout clean.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "static" / "screenshots"
    if os.getenv("WRITE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "tokengate-screenshots"
)

CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]  # fmt: skip


class SharedChromium:
    """One Playwright driver and one Chromium, started at the first browser test.

    Playwright's sync API leaves its event loop marked as running in this thread
    between calls, so no asyncio test can run while it is up: tests/conftest.py
    stops it after the last browser test of a run, and get() starts it again if
    another comes.
    """

    def __init__(self):
        self._playwright = None
        self._browser = None

    def get(self):
        if self._browser is None:
            from playwright.sync_api import sync_playwright

            require_chromium()
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(
                executable_path=CHROMIUM, args=CHROMIUM_ARGS
            )
        return self._browser

    def stop(self):
        if self._browser is not None:
            self._browser.close()
            self._playwright.stop()
            self._playwright = self._browser = None


def log_in(browser, server, username="alice", **options):
    """A browser context logged in through the login form; `options` go to
    new_context (has_touch, ...)."""
    options = {"viewport": {"width": 1200, "height": 800}, **options}
    context = browser.new_context(base_url=server.url, **options)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#connection")).to_have_text("Connected")
    page.close()
    return context


def new_conversation(context):
    page = context.new_page()
    page.goto("/")
    # "New conversation" reuses an untouched one, and with it an earlier test's draft.
    forget_drafts(page)
    page.get_by_role("button", name="+ New conversation").click()
    expect(page.locator("#connection")).to_have_text("Connected")
    return page


def forget_drafts(page):
    page.evaluate(
        """() => Object.keys(localStorage)
          .filter((key) => key.startsWith("tokengate-draft:"))
          .forEach((key) => localStorage.removeItem(key))"""
    )


def png_file(name="red.png", **options):
    return {"name": name, "mimeType": "image/png", "buffer": image_bytes("PNG", **options)}


def attach_by_event(page, kind, file):
    """Dispatch a synthetic drop or paste carrying `file`, as the browser would."""
    page.evaluate(
        """([kind, name, type, data]) => {
          const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
          const transfer = new DataTransfer();
          transfer.items.add(new File([bytes], name, { type }));
          const init = { bubbles: true, cancelable: true };
          if (kind === "drop") {
            document.getElementById("conversation")
              .dispatchEvent(new DragEvent("drop", { ...init, dataTransfer: transfer }));
          } else {
            document.getElementById("message-text")
              .dispatchEvent(new ClipboardEvent("paste", { ...init, clipboardData: transfer }));
          }
        }""",
        [kind, file["name"], file["mimeType"], base64.b64encode(file["buffer"]).decode()],
    )


def send(page, text):
    page.locator("#message-text").fill(text)
    page.locator("#message-text").press("Enter")


def answer(page):
    return page.locator(".message.assistant").last


def expect_image_shown(img):
    """Wait until `img` has loaded and decoded to a picture (not a broken icon)."""
    expect(img).to_be_visible()
    img.page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=img.element_handle(), timeout=5000
    )


# An answer with everything that can be wider than a phone: a long bare URL, a
# long code line, a wide table (and math, which KaTeX draws).
WIDE_ANSWER = [
    "A **red** square, as on https://example.com/" + "very-long-path-" * 12 + " .\n\n",
    "```python\ndef area(side):\n    return side * side  # " + "a long comment " * 12 + "\n```\n\n",
    "| " + " | ".join(f"column {n}" for n in range(1, 9)) + " |\n",
    "|" + "---|" * 8 + "\n",
    "| " + " | ".join("a-rather-wide-cell" for _ in range(8)) + " |\n\n",
    "And $a^2 + b^2 = c^2$.",
]


def scrolls_sideways(page):
    """Whether the page itself is wider than the window (not a box inside it)."""
    return page.evaluate(
        "() => document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth"
    )


def shoot(page, name, *, full_page=False):
    """Write the window as static/screenshots/NAME (a README picture) when asked."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / name, full_page=full_page)


def drag_box(page, surface, start, end):
    """On a review page's drawing copy: press at `start`, move, release at
    `end` (CSS pixels from the image's corner). Returns the image's rectangle."""
    image = surface.locator("img")
    expect(image).to_have_js_property("complete", True)
    rect = image.bounding_box()
    page.mouse.move(rect["x"] + start[0], rect["y"] + start[1])
    page.mouse.down()
    page.mouse.move(rect["x"] + (start[0] + end[0]) / 2, rect["y"] + (start[1] + end[1]) / 2)
    page.mouse.move(rect["x"] + end[0], rect["y"] + end[1], steps=5)
    page.mouse.up()
    return rect
