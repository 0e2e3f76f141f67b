"""axe-core (vendored in tests/vendor/) in Chromium: no serious or critical
accessibility violation, colour contrast included, on the login page and on a
conversation (empty, images attached, streaming, a rich answer and a failed
one), in both themes. With WRITE_SCREENSHOTS=1 the walk through the
conversation also writes the README's pictures of it."""

from pathlib import Path

import pytest

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, new_conversation, png_file, send, shoot
from tests.support.images import receipt

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core-4.14.1" / "axe.min.js"
THEMES = ["light", "dark"]
# Markdown, a table, code and math: most of what an answer can hold.
RECEIPT_ANSWER = [
    "The total is **6.00**, the sum of two items:\n\n",
    "| item | price |\n|---|---|\n| Coffee | 3.20 |\n",
    "| Croissant | 2.80 |\n\n",
    "Checked: $3.20 + 2.80 = 6.00$. In Python:\n\n",
    "```python\nprint(sum([3.20, 2.80]))  # 6.0\n```\n",
]


@pytest.fixture(scope="module")
def axe_context(alice_context):
    # An init script is injected by the browser itself, so the page's CSP (no
    # inline script) does not refuse it.
    alice_context.add_init_script(path=AXE)
    return alice_context


def serious_violations(page):
    """axe's serious and critical findings, one readable line each."""
    results = page.evaluate("() => axe.run(document, { resultTypes: ['violations'] })")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("theme", THEMES)
def test_it_finds_no_serious_violation_on_the_login_page(browser, daphne_server, theme):
    context = browser.new_context(base_url=daphne_server.url, color_scheme=theme)
    context.add_init_script(path=AXE)
    page = context.new_page()
    page.goto("/login/")
    expect(page.get_by_label("Username")).to_be_visible()

    assert serious_violations(page) == []
    # A failed attempt adds the error line: readable too.
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".form-error")).to_be_visible()
    assert serious_violations(page) == []
    context.close()


def test_it_finds_no_serious_violation_on_the_settings_page(axe_context):
    page = axe_context.new_page()
    page.goto("/settings/")
    expect(page.get_by_role("button", name="Save")).to_be_visible()
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        assert serious_violations(page) == [], theme
    page.close()


def test_it_finds_no_serious_violation_on_a_conversation_in_either_theme(
    axe_context, live_upstream
):
    # The README's pictures of the page are taken along the way (tests/support/browser.py: shoot).
    page = axe_context.new_page()
    page.goto("/")
    page.get_by_role("button", name="+ New conversation").click()
    expect(page.locator("#connection")).to_have_text("Connected")
    shoot(page, "chat-empty.png")
    assert serious_violations(page) == [], "empty"

    page.locator("#file-input").set_input_files(
        [{"name": "receipt.png", "mimeType": "image/png", "buffer": receipt()},
         png_file("square.png", size=(400, 300), color=(40, 120, 200))]
    )  # fmt: skip
    expect(page.locator(".attachment.ready")).to_have_count(2)
    page.locator("#message-text").fill("What is the total on this receipt?")
    shoot(page, "chat-images-attached.png")
    assert serious_violations(page) == [], "images attached"

    live_upstream.queue(
        Reply(tokens=RECEIPT_ANSWER, hold_after=3),
        Reply(status=401, body='{"error": {"message": "Invalid key", "type": "auth_error"}}'),
    )
    page.locator("#message-text").press("Enter")
    expect(answer(page).locator("tbody tr")).to_have_count(2)
    expect(answer(page)).to_have_attribute("data-status", "streaming")
    shoot(page, "chat-streaming.png")
    assert serious_violations(page) == [], "streaming"
    live_upstream.release.set()
    expect(answer(page)).to_have_attribute("data-status", "complete")
    expect(answer(page).locator("code.hljs")).to_be_visible()

    send(page, "And with a 10% tip?")
    expect(answer(page)).to_have_attribute("data-status", "error")
    page.locator("#transcript").evaluate("(list) => list.scrollTo(0, list.scrollHeight)")
    shoot(page, "chat-error.png")

    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        assert serious_violations(page) == [], theme
    shoot(page, "chat-dark.png")
    # On a phone, where code and tables scroll in their own box, and with the drawer open.
    page.set_viewport_size({"width": 360, "height": 740})
    assert serious_violations(page) == [], "phone"
    page.get_by_role("button", name="Conversations").click()
    expect(page.locator("#sidebar")).to_be_visible()
    assert serious_violations(page) == [], "phone, drawer open"
    page.close()


def test_it_finds_no_serious_violation_in_the_image_viewer_in_either_theme(
    axe_context, live_upstream
):
    page = new_conversation(axe_context)
    page.locator("#file-input").set_input_files(
        [png_file("one.png", size=(640, 420)), png_file("two.png", size=(300, 200))]
    )
    expect(page.locator(".attachment.ready")).to_have_count(2)
    live_upstream.queue(Reply(tokens=["Two."]))
    send(page, "What are these?")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    page.locator(".message.user .images a").first.click()
    expect(page.locator("#image-viewer")).to_be_visible()
    page.keyboard.press("+")
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        assert serious_violations(page) == [], theme
    page.set_viewport_size({"width": 360, "height": 740})
    assert serious_violations(page) == [], "phone"
    page.close()
