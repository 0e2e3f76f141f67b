"""The conversation page in Chromium (Playwright, sync API) against a live daphne."""

import re

import pytest

from chat.testing.upstream import Reply
from tests.support.browser import (
    answer,
    attach_by_event,
    expect,
    log_in,
    new_conversation,
    png_file,
    send,
)
from tests.support.live import PASSWORD, Site

SCREENSHOT = "/tmp/tokengate-screenshot.png"


def test_it_logs_in_through_the_form(browser, daphne_server):
    context = browser.new_context(base_url=daphne_server.url)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill("wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("do not match")

    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(re.compile(r"/c/[0-9a-f-]{36}/$"))
    expect(page.locator("#connection")).to_have_text("Connected")
    context.close()


def test_it_previews_a_picked_image_with_its_size(page):
    page.locator("#file-input").set_input_files(png_file(size=(64, 48)))

    attachment = page.locator(".attachment")
    expect(attachment).to_have_class("attachment ready")
    expect(attachment).to_contain_text("PNG 64×48 · 1 KB")
    expect(attachment.locator("img")).to_have_attribute("alt", "red.png")


def test_it_attaches_a_dropped_image(page):
    overlay = page.locator("#drop-overlay")
    expect(overlay).to_be_hidden()

    attach_by_event(page, "drop", png_file("dropped.png", size=(30, 20)))

    expect(page.locator(".attachment")).to_contain_text("PNG 30×20")
    expect(overlay).to_be_hidden()


def test_it_attaches_a_pasted_image(page):
    attach_by_event(page, "paste", png_file("pasted.png", size=(40, 10)))

    expect(page.locator(".attachment")).to_contain_text("PNG 40×10")


def test_it_sends_on_enter_and_breaks_the_line_on_shift_enter(page, live_upstream):
    box = page.locator("#message-text")
    box.type("first line")
    box.press("Shift+Enter")
    box.type("second line")

    expect(box).to_have_value("first line\nsecond line")

    box.press("Enter")

    expect(box).to_have_value("")
    expect(answer(page)).to_have_attribute("data-status", "complete")
    # Had Shift+Enter sent "first line", there would be two questions here.
    expect(page.locator(".message.user .body")).to_have_text(["first line\nsecond line"])
    assert [r.body["messages"][-1]["content"] for r in live_upstream.requests] == [
        [{"type": "text", "text": "first line\nsecond line"}]
    ]


def test_it_shows_the_answer_token_by_token(page, live_upstream):
    live_upstream.queue(Reply(tokens=["Half ", "way ", "and ", "the ", "rest."], hold_after=2))
    send(page, "Tell me slowly")

    # Held upstream after two tokens: they are on the page, the rest is not.
    expect(answer(page).locator(".body")).to_have_text("Half way ")
    expect(answer(page)).to_have_attribute("data-status", "streaming")
    expect(page.locator("#stop")).to_be_visible()

    live_upstream.release.set()

    expect(answer(page).locator(".body")).to_have_text("Half way and the rest.")
    expect(answer(page)).to_have_attribute("data-status", "complete")
    expect(page.locator("#send")).to_be_visible()


def test_it_stops_an_answer_and_keeps_the_partial_text(page, live_upstream):
    live_upstream.queue(Reply(tokens=["Kept ", "text ", "never ", "sent"], hold_after=2))
    send(page, "Start and stop")
    expect(answer(page).locator(".body")).to_have_text("Kept text ")

    page.get_by_role("button", name="Stop").click()

    expect(answer(page)).to_have_attribute("data-status", "stopped")
    expect(answer(page).locator(".problem")).to_contain_text("Stopped")
    expect(answer(page).locator(".body")).to_have_text("Kept text")
    # The app hung up on the gateway rather than letting it finish unseen.
    assert live_upstream.disconnected.wait(timeout=10)


def test_it_shows_the_same_transcript_after_a_reload_and_from_home(page, live_upstream):
    live_upstream.queue(Reply(tokens=["A ", "**red** ", "square."]))
    page.locator("#file-input").set_input_files(png_file())
    expect(page.locator(".attachment")).to_have_class("attachment ready")
    send(page, "What is it?")
    expect(answer(page)).to_have_attribute("data-status", "complete")
    before = page.locator("#transcript").inner_html()
    conversation_url = page.url

    page.reload()
    expect(answer(page)).to_have_attribute("data-status", "complete")
    assert page.locator("#transcript").inner_html() == before

    page.goto("/")
    assert page.url == conversation_url
    assert page.locator("#transcript").inner_html() == before


def test_it_shows_the_servers_reason_for_a_file_that_is_not_an_image(page):
    # Named and typed like a PNG, so only the server's check of the bytes catches it.
    fake = {"name": "notes.png", "mimeType": "image/png", "buffer": b"just some text\n"}
    page.locator("#file-input").set_input_files(fake)

    failed = page.locator(".attachment.failed")
    expect(failed).to_contain_text("“notes.png” is not an image we can read.")


def test_it_refuses_an_eleventh_image_before_uploading_it(page):
    uploads = []
    page.on("request", lambda r: uploads.append(r) if r.url.endswith("/upload/") else None)
    files = [png_file(f"image-{n}.png", size=(10 + n, 10)) for n in range(1, 12)]

    page.locator("#file-input").set_input_files(files)

    expect(page.locator("#notice")).to_have_text(
        "A message can carry at most 10 images; “image-11.png” was not added."
    )
    expect(page.locator(".attachment.ready")).to_have_count(10)
    assert len(uploads) == 10


def test_it_renders_markdown_but_shows_html_from_the_model_as_text(page, live_upstream):
    live_upstream.queue(
        Reply(
            tokens=[
                "Some **bold** text. ",
                "<img src=x onerror=\"window.pwned='img'\"> ",
                "<script>window.pwned='script'</script>",
            ]
        )
    )
    send(page, "Say something dangerous")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    body = answer(page).locator(".body")
    expect(body.locator("strong")).to_have_text("bold")
    expect(body).to_contain_text("<img src=x onerror=")
    expect(body).to_contain_text("<script>window.pwned='script'</script>")
    expect(body.locator("img, script")).to_have_count(0)
    assert page.evaluate("window.pwned") is None


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    """A second site with no API key: the offline demo model answers."""
    site = Site(tmp_path_factory.mktemp("demo"))
    try:
        site.migrate()
        site.create_user("alice")
        yield site.start_server()
    finally:
        site.stop()


def test_it_answers_with_the_demo_model_describing_the_image(browser, demo_server):
    context = log_in(browser, demo_server)
    page = new_conversation(context)
    expect(page.locator("#model")).to_have_value("offline-demo")
    page.locator("#file-input").set_input_files(png_file(size=(64, 48)))
    expect(page.locator(".attachment")).to_have_class("attachment ready")

    send(page, "What is in this picture?")

    expect(answer(page)).to_have_attribute("data-status", "complete", timeout=15_000)
    body = answer(page).locator(".body")
    expect(body).to_contain_text("I am the offline demo model")
    expect(body).to_contain_text("a PNG image, 64×48 pixels")
    expect(body).to_contain_text("dominant colours: red 100%")
    page.screenshot(path=SCREENSHOT)
    context.close()
