"""The chat page and the admin in Chromium under the Content-Security-Policy:
everything they do works, and the browser reports no violation.

Each page gets a listener (before any of its own script runs) that records
`securitypolicyviolation` events; console lines saying something was refused
count too. The admin walk visits every model the admin index lists, so apps
added later (review) are covered without changing this file."""

import re

import pytest

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, png_file, send
from tests.support.live import PASSWORD

RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline")
    + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


class Watcher:
    """Violations seen in a browser context, from the DOM event and the console."""

    def __init__(self, context):
        self.console = []
        context.add_init_script(RECORD_VIOLATIONS)
        context.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Refused to" in message.text:
            self.console.append(message.text)

    def violations(self, page):
        return [*page.evaluate("window.__violations || []"), *self.console]


@pytest.fixture(scope="module")
def reviewer(live_site):
    live_site.manage(
        "createsuperuser", "--noinput", "--username", "reviewer", "--email", "r@example.com",
        DJANGO_SUPERUSER_PASSWORD=PASSWORD,
    )  # fmt: skip
    return "reviewer"


def logged_in(browser, server, username):
    context = browser.new_context(base_url=server.url, viewport={"width": 1200, "height": 800})
    watcher = Watcher(context)
    page = context.new_page()
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/c/"))
    return context, watcher, page


def test_it_chats_with_an_image_under_the_policy_with_no_violation(
    browser, daphne_server, live_upstream
):
    context, watcher, page = logged_in(browser, daphne_server, "alice")
    expect(page.locator("#connection")).to_have_text("Connected")
    live_upstream.queue(Reply(tokens=["A **red** ", "square.\n\n- one\n- two"]))

    page.locator("#file-input").set_input_files(png_file())
    expect(page.locator(".attachment")).to_have_class("attachment ready")
    send(page, "What is this?")

    expect(answer(page)).to_have_attribute("data-status", "complete")
    expect(answer(page).locator("strong")).to_have_text("red")
    # The sent image's thumbnail loads from our origin under img-src.
    page.wait_for_function(
        "() => [...document.querySelectorAll('.message.user img')]"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )
    # The viewer zooms by setting a transform through the CSSOM, which the policy allows.
    page.locator(".message.user .images a").first.click()
    page.keyboard.press("+")
    expect(page.locator("#image-viewer .viewer-image")).to_have_css(
        "transform", re.compile(r"matrix\(1\.25, ")
    )
    page.keyboard.press("Escape")
    page.reload()
    expect(page.locator("#connection")).to_have_text("Connected")
    expect(answer(page).locator("strong")).to_have_text("red")
    assert watcher.violations(page) == []
    context.close()


def test_it_runs_the_admin_under_the_policy_with_no_violation(
    browser, daphne_server, reviewer, live_upstream
):
    # Something to look at: alice's conversation from a turn of her own.
    context, watcher, page = logged_in(browser, daphne_server, reviewer)
    live_upstream.queue(Reply(tokens=["Fine."]))
    send(page, "Hello")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    page.goto("/admin/")
    expect(page.locator("#site-name")).to_be_visible()
    changelists = sorted(
        {href for href in page.locator("#content-main a").evaluate_all(
            "links => links.map((a) => a.getAttribute('href'))"
        ) if href and href.count("/") == 4 and not href.endswith("/add/")}
    )  # fmt: skip
    assert "/admin/chat/conversation/" in changelists
    visited = []
    for changelist in changelists:
        page.goto(changelist)
        visited.append(changelist)
        rows = page.locator("#result_list tbody th a")
        if rows.count():
            page.goto(rows.first.get_attribute("href"))
            visited.append(page.url)
            # The admin's own scripts run: collapsible fieldsets, inlines, widgets.
            expect(page.locator("#content-main form:visible").first).to_be_visible()
        page.goto(changelist + "add/")
        assert watcher.violations(page) == [], changelist

    # The changelist's scripts: select all, the action menu, the search box.
    page.goto("/admin/chat/conversation/")  # messages have no actions: nothing in them changes
    page.locator("#action-toggle").check()
    expect(page.locator(".action-counter")).to_contain_text("selected")
    page.get_by_role("textbox").first.fill("Hello")
    page.get_by_role("textbox").first.press("Enter")
    expect(page.locator("#result_list")).to_contain_text("Hello")
    assert watcher.violations(page) == [], visited
    context.close()


def test_it_would_see_a_violation(browser, daphne_server):
    # The listener is live: an inline script, which the policy refuses, is reported.
    context = browser.new_context(base_url=daphne_server.url)
    watcher = Watcher(context)
    page = context.new_page()
    page.goto("/login/")

    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = '1';"
        " document.body.append(s); }"
    )

    page.wait_for_function("window.__violations.length > 0")
    assert any("script-src" in v for v in watcher.violations(page))
    context.close()
