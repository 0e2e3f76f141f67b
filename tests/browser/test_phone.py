"""The page on a phone (360×740) in Chromium: nothing wider than the screen,
the sidebar as a drawer, and the composer kept in view when the on-screen
keyboard takes the lower part of the screen."""

import pytest

from chat.testing.upstream import Reply
from tests.support.browser import (
    WIDE_ANSWER,
    answer,
    expect,
    png_file,
    scrolls_sideways,
    send,
    shoot,
)

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE)
    page.reload()
    expect(page.locator("#connection")).to_have_text("Connected")
    return page


def test_it_fits_a_360_px_screen_with_wide_answers_and_big_images(phone, live_upstream):
    live_upstream.queue(Reply(tokens=WIDE_ANSWER))
    phone.locator("#file-input").set_input_files(png_file("big.png", size=(2400, 1600)))
    expect(phone.locator(".attachment")).to_have_class("attachment ready")
    send(phone, "What is this? " + "Look closely at https://example.com/" + "x" * 120)
    expect(answer(phone)).to_have_attribute("data-status", "complete")
    expect(answer(phone).locator("table")).to_be_visible()

    assert not scrolls_sideways(phone)
    # The wide parts scroll inside their own boxes instead.
    for wide in ("pre", "table"):
        box = answer(phone).locator(wide).first
        assert box.evaluate("(el) => el.scrollWidth > el.clientWidth"), wide
        assert box.bounding_box()["width"] <= PHONE["width"], wide
    expect(phone.get_by_role("button", name="Send")).to_be_in_viewport()
    shoot(phone, "chat-phone.png")

    phone.reload()  # the stored transcript, rendered by the server, fits too
    expect(answer(phone).locator("table")).to_be_visible()
    assert not scrolls_sideways(phone)


def test_it_opens_the_sidebar_as_a_drawer_and_closes_it(phone):
    drawer = phone.locator("#sidebar")
    toggle = phone.get_by_role("button", name="Conversations")
    expect(drawer).to_be_hidden()

    toggle.click()
    expect(drawer).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(phone.get_by_label("Search conversations")).to_be_focused()
    # Focus stays in the drawer: tabbing never reaches the page behind it.
    for _ in range(8):
        phone.keyboard.press("Tab")
        assert phone.evaluate(
            "() => document.activeElement === document.body"
            " || !!document.activeElement.closest('#sidebar')"
        )
    phone.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(toggle).to_be_focused()
    expect(toggle).to_have_attribute("aria-expanded", "false")

    toggle.click()
    expect(drawer).to_be_visible()
    phone.mouse.click(PHONE["width"] - 20, PHONE["height"] // 2)  # the backdrop beside it
    expect(drawer).to_be_hidden()

    toggle.click()
    phone.get_by_role("button", name="Close the conversation list").click()
    expect(drawer).to_be_hidden()
    expect(toggle).to_be_focused()


def test_it_keeps_the_composer_in_view_above_the_on_screen_keyboard(phone):
    phone.locator("#message-text").click()
    # With interactive-widget=resizes-content, an opening keyboard shrinks the
    # viewport the page is laid out in: Chromium's emulation of that is a resize.
    phone.set_viewport_size({"width": 360, "height": 400})
    expect(phone.locator("#message-text")).to_be_in_viewport()
    expect(phone.get_by_role("button", name="Send")).to_be_in_viewport()
    expect(phone.locator("#conversation-title")).to_be_in_viewport()
    assert not scrolls_sideways(phone)
    assert "interactive-widget=resizes-content" in phone.locator(
        'meta[name="viewport"]'
    ).get_attribute("content")


def test_it_keeps_the_sidebar_beside_the_conversation_on_a_wide_screen(page):
    expect(page.locator("#sidebar")).to_be_visible()
    expect(page.get_by_role("button", name="Conversations")).to_be_hidden()


def test_it_fits_the_login_page_on_a_phone(browser, daphne_server):
    context = browser.new_context(base_url=daphne_server.url, viewport=PHONE)
    page = context.new_page()
    page.goto("/login/")
    expect(page.get_by_role("button", name="Log in")).to_be_in_viewport()
    assert not scrolls_sideways(page)
    context.close()
