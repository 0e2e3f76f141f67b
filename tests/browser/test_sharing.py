"""A share link in Chromium: made from the header, opened in a fresh browser
with no cookies (text and images shown, math drawn, nothing to type into),
revoked in settings, and then gone on reload."""

import re

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, expect_image_shown, png_file, send


def test_it_shares_opens_without_login_and_404s_after_revoke(page, browser, live_upstream):
    page.locator("#file-input").set_input_files([png_file("red.png", size=(300, 200))])
    expect(page.locator(".attachment.ready")).to_have_count(1)
    live_upstream.queue(Reply(tokens=["A **red** square, ", "area $a^2$."]))
    send(page, "What is this?")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    page.get_by_role("button", name="Share").click()
    dialog = page.locator("#share-dialog")
    dialog.get_by_label("Shown as").fill("Alice L.")
    dialog.get_by_role("button", name="Create link").click()
    link = dialog.locator("#share-url")
    expect(link).to_have_value(re.compile(r"/s/[\w-]{32}/$"))
    url = link.input_value()

    visitor = browser.new_context()  # no cookies: a stranger with the link
    try:
        shared = visitor.new_page()
        assert shared.goto(url).status == 200
        expect(shared.locator("h1")).to_have_text("What is this?")
        expect(shared.locator("#shared-by")).to_contain_text("Shared by Alice L. on")
        expect(shared.locator(".shared-message.assistant strong")).to_have_text("red")
        expect(shared.locator(".shared-message.assistant math")).to_have_count(1)
        image = shared.locator(".shared-images img")
        expect_image_shown(image)
        image_url = re.sub(r"/s/.*", image.get_attribute("src"), url)
        assert shared.locator("form, textarea, input").count() == 0

        page.goto("/settings/shares/")
        item = page.locator(".share-item").first
        expect(item).to_contain_text("opened 1 time")
        item.get_by_role("button", name="Revoke").click()
        expect(page.get_by_role("status")).to_contain_text("Revoked")

        assert shared.reload().status == 404
        assert visitor.request.get(image_url).status == 404
    finally:
        visitor.close()
