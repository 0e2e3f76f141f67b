"""Per-user limits as the page shows them: a sentence saying when to try
again, on a socket that stays connected."""

import re

import pytest

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, png_file, send


@pytest.fixture(scope="module")
def live_site_environment():
    return {"LIMIT_MESSAGES_PER_MINUTE": "1", "LIMIT_UPLOADS_PER_MINUTE": "1"}


def test_it_says_when_the_next_message_can_be_sent(page, live_upstream):
    live_upstream.queue(Reply(tokens=["First."]))
    send(page, "One")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    send(page, "Two")

    expect(page.locator("#notice")).to_have_text(
        re.compile(r"You can start 1 message a minute; try again in \d+ seconds\.")
    )
    expect(page.locator("#connection")).to_have_text("Connected")
    # The refused text stays in the box, to send when the minute is up.
    expect(page.locator("#message-text")).to_have_value("Two")
    expect(page.locator(".message.user")).to_have_count(1)


def test_it_says_when_the_next_upload_can_be_made(page):
    page.locator("#file-input").set_input_files(png_file("one.png"))
    expect(page.locator(".attachment").first).to_have_class("attachment ready")

    page.locator("#file-input").set_input_files(png_file("two.png", color=(1, 2, 3)))

    refused = page.locator(".attachment").last
    expect(refused).to_have_class("attachment failed")
    expect(refused).to_contain_text("You can upload 1 image a minute; try again in")
