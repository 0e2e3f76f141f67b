"""axe-core (vendored in tests/vendor/) in Chromium: no serious or critical
accessibility violation, colour contrast included, on the login page and on a
conversation with images, a rich answer and a failed one, in both themes."""

from pathlib import Path

import pytest

from tests.browser import WIDE_ANSWER, answer, expect, png_file, send
from tests.fake_upstream import Reply

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core-4.14.1" / "axe.min.js"
THEMES = ["light", "dark"]


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


def test_it_finds_no_serious_violation_on_a_conversation_in_either_theme(
    axe_context, live_upstream
):
    page = axe_context.new_page()
    page.goto("/")
    page.get_by_role("button", name="+ New conversation").click()
    expect(page.locator("#connection")).to_have_text("Connected")
    live_upstream.queue(
        Reply(tokens=WIDE_ANSWER),
        Reply(status=401, body='{"error": {"message": "Invalid key", "type": "auth_error"}}'),
    )
    page.locator("#file-input").set_input_files(png_file("receipt.png", size=(640, 420)))
    expect(page.locator(".attachment")).to_have_class("attachment ready")
    send(page, "What is this?")
    expect(answer(page)).to_have_attribute("data-status", "complete")
    send(page, "And the total?")
    expect(answer(page)).to_have_attribute("data-status", "error")
    page.locator("#file-input").set_input_files(png_file("next.png"))  # one waiting to be sent
    expect(page.locator(".attachment")).to_have_class("attachment ready")

    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        assert serious_violations(page) == [], theme
    # On a phone, where code and tables scroll in their own box, and with the drawer open.
    page.set_viewport_size({"width": 360, "height": 740})
    assert serious_violations(page) == [], "phone"
    page.get_by_role("button", name="Conversations").click()
    expect(page.locator("#sidebar")).to_be_visible()
    assert serious_violations(page) == [], "phone, drawer open"
    page.close()
