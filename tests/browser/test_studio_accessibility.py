"""axe-core in Chromium on the studio's parts, in both themes: the image
settings, a generated image with its actions, the offer to switch models."""

import base64

import pytest

from chat.testing.upstream import Reply
from tests.browser.test_accessibility import AXE, THEMES, serious_violations
from tests.support.browser import answer, expect, new_conversation, png_file, send


@pytest.fixture(scope="module")
def axe_context(alice_context):
    alice_context.add_init_script(path=AXE)
    return alice_context


def test_it_finds_no_serious_violation_on_the_studio_in_either_theme(axe_context, live_upstream):
    page = new_conversation(axe_context)
    drawn = base64.b64encode(png_file(size=(800, 450))["buffer"]).decode()
    live_upstream.queue(Reply(tokens=["Here."], images=[f"data:image/png;base64,{drawn}"]))
    with page.expect_response("**/model/"):
        page.locator("#model").select_option("gemini-3.1-flash-image-preview")
    expect(page.locator("#image-settings")).to_be_visible()
    send(page, "A wide red square")
    expect(answer(page).locator(".generated img")).to_be_visible()
    with page.expect_response("**/model/"):
        page.locator("#model").select_option("gpt-4o")
    answer(page).get_by_role("button", name="Edit this image").click()
    expect(page.locator("#switch-offer")).to_be_visible()
    page.locator("#model").select_option("gemini-3.1-flash-image-preview")

    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        assert serious_violations(page) == [], theme
    page.close()
