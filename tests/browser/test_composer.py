"""Attaching images in the composer, in Chromium: upload progress, every
refusal named, retry and remove, drops anywhere on the page, and the draft
(text and images) kept across a reload until it is sent."""

import json
import uuid

import pytest
from playwright.sync_api import Error

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, log_in, new_conversation, png_file, send
from tests.support.images import noisy_png

MAX_BYTES = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def live_site_environment():
    return {"IMAGE_MAX_BYTES": str(MAX_BYTES)}


def attach(page, *files):
    page.locator("#file-input").set_input_files(list(files))


def slow_uploads(page, bytes_per_second):
    """Chromium's own network throttling (as in DevTools), for uploads."""
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send(
        "Network.emulateNetworkConditions",
        {
            "offline": False,
            "latency": 0,
            "downloadThroughput": -1,
            "uploadThroughput": bytes_per_second,
        },
    )
    return session


def test_it_shows_the_progress_of_a_large_upload(page):
    big = {"name": "noise.png", "mimeType": "image/png", "buffer": noisy_png((600, 600))}
    assert len(big["buffer"]) > 1_000_000
    slow_uploads(page, 300_000)  # about 4 seconds for the file

    attach(page, big)

    tile = page.locator(".attachment")
    expect(tile.locator(".name")).to_have_text("noise.png")
    progress = tile.get_by_role("progressbar", name="Uploading noise.png")
    expect(progress).to_be_visible()
    # Part of the way: the bar moves with the bytes sent, not only at the end.
    page.wait_for_function(
        "bar => bar.value > 0.05 && bar.value < 0.9", arg=progress.element_handle(), timeout=8000
    )
    expect(tile).to_have_class("attachment ready", timeout=20_000)
    expect(progress).to_have_count(0)


def test_it_lists_every_refused_file_with_its_reason(page):
    text = {"name": "notes.txt", "mimeType": "text/plain", "buffer": b"not a picture"}
    huge = {"name": "huge.png", "mimeType": "image/png", "buffer": b"\0" * (MAX_BYTES + 1)}

    attach(page, text, png_file("fine.png"), huge)

    expect(page.locator("#notice")).to_have_text(
        "“notes.txt” is not an image or a document. Attach PNG, JPEG, GIF, WebP or HEIC "
        "images, or PDF or TIFF documents.\n"
        "“huge.png” is 2.0 MB; images must be at most 2.0 MB."
    )
    expect(page.locator(".attachment")).to_have_count(1)
    expect(page.locator(".attachment")).to_have_class("attachment ready")


def test_it_names_every_image_over_the_limit_of_ten(page):
    attach(page, *[png_file(f"image-{n}.png", size=(10 + n, 10)) for n in range(1, 13)])

    expect(page.locator("#notice")).to_have_text(
        "A message can carry at most 10 images; “image-11.png” and “image-12.png” were not added."
    )
    expect(page.locator(".attachment.ready")).to_have_count(10)


def test_it_retries_a_failed_upload_in_one_click(page):
    page.route("**/upload/", lambda route: route.abort("connectionreset"))
    attach(page, png_file("flaky.png"))
    tile = page.locator(".attachment")
    expect(tile).to_have_class("attachment failed")
    expect(tile).to_contain_text("The upload failed: the connection to the server broke off.")
    page.unroute("**/upload/")

    tile.get_by_role("button", name="Retry flaky.png").click()

    expect(tile).to_have_class("attachment ready")
    expect(tile).to_contain_text("PNG 64×48")


def test_it_removes_a_failed_upload_in_one_click(page):
    page.route("**/upload/", lambda route: route.abort("connectionreset"))
    attach(page, png_file("flaky.png"))
    expect(page.locator(".attachment")).to_have_class("attachment failed")

    page.get_by_role("button", name="Remove flaky.png").click()

    expect(page.locator(".attachment")).to_have_count(0)


def test_it_keeps_an_image_removed_while_it_uploads_removed(page, live_upstream):
    held = []
    page.route("**/upload/", lambda route: held.append(route))
    attach(page, png_file("unwanted.png"))
    expect(page.locator(".attachment")).to_have_class("attachment uploading")
    while not held:  # Playwright calls the handler while the page waits
        page.wait_for_timeout(20)

    page.get_by_role("button", name="Remove unwanted.png").click()
    expect(page.locator(".attachment")).to_have_count(0)
    page.unroute("**/upload/")
    # The page cancels the upload; were it not cancelled, its answer would come now.
    try:
        held[0].continue_()
    except Error:
        pass

    # ...and the image stays out of the composer and of the message.
    attach(page, png_file("wanted.png", color=(0, 200, 0)))
    expect(page.locator(".attachment.ready")).to_have_count(1)
    expect(page.locator(".attachment .name")).to_have_text(["wanted.png"])
    live_upstream.queue(Reply(tokens=["Green."]))
    send(page, "Which colour?")
    expect(answer(page)).to_have_attribute("data-status", "complete")
    sent = live_upstream.requests[0].body["messages"][-1]["content"]
    assert [part["type"] for part in sent] == ["image_url", "text"]


def test_it_attaches_a_file_dropped_on_the_sidebar_instead_of_opening_it(page, tmp_path):
    dropped = tmp_path / "dropped.png"
    dropped.write_bytes(png_file(size=(30, 20))["buffer"])
    url = page.url
    box = page.locator(".sidebar").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    # A real drag of a file from the desktop, as Chromium receives it.
    session = page.context.new_cdp_session(page)
    data = {"items": [], "files": [str(dropped)], "dragOperationsMask": 1}
    for kind in ("dragEnter", "dragOver"):
        session.send("Input.dispatchDragEvent", {"type": kind, "x": x, "y": y, "data": data})
    expect(page.locator("#drop-overlay")).to_be_visible()

    session.send("Input.dispatchDragEvent", {"type": "drop", "x": x, "y": y, "data": data})

    expect(page.locator(".attachment")).to_contain_text("PNG 30×20")
    expect(page.locator("#drop-overlay")).to_be_hidden()
    assert page.url == url


def draft_key(page):
    return page.evaluate(
        "() => { const d = document.getElementById('conversation').dataset;"
        " return 'tokengate-draft:' + d.user + ':' + d.code; }"
    )


def test_it_keeps_the_draft_text_and_images_in_a_closed_tab_until_sent(page, live_upstream):
    attach(page, png_file("kept.png", size=(80, 60)))
    expect(page.locator(".attachment")).to_have_class("attachment ready")
    page.locator("#message-text").fill("Half-written question")
    page.get_by_label("Detail for kept.png").select_option("high")
    url = page.url
    context = page.context

    page.close()
    page = context.new_page()
    page.goto(url)

    expect(page.locator("#message-text")).to_have_value("Half-written question")
    tile = page.locator(".attachment")
    expect(tile).to_have_class("attachment ready")
    expect(tile.locator(".name")).to_have_text("kept.png")
    expect(tile).to_contain_text("PNG 80×60")
    expect(page.get_by_label("Detail for kept.png")).to_have_value("high")

    live_upstream.queue(Reply(tokens=["Seen."]))
    page.locator("#message-text").press("Enter")
    expect(answer(page)).to_have_attribute("data-status", "complete")
    image = live_upstream.requests[0].body["messages"][-1]["content"][0]
    assert image["image_url"]["detail"] == "high"

    page.reload()
    expect(page.locator("#message-text")).to_have_value("")
    expect(page.locator(".attachment")).to_have_count(0)
    assert page.evaluate("key => localStorage.getItem(key)", draft_key(page)) is None
    page.close()


def test_it_drops_a_draft_image_the_server_no_longer_has_without_a_word(page):
    attach(page, png_file("gone.png"), png_file("here.png", color=(0, 0, 200)))
    expect(page.locator(".attachment.ready")).to_have_count(2)
    # As if the server had removed the first, unsent, image.
    key = draft_key(page)
    draft = json.loads(page.evaluate("key => localStorage.getItem(key)", key))
    gone = draft["images"][0]["payload"]
    for field in ("thumbnail_url", "url", "view_url", "crop_url"):
        gone[field] = gone[field].replace(gone["id"], str(uuid.uuid4()))
    page.evaluate("([key, value]) => localStorage.setItem(key, value)", [key, json.dumps(draft)])

    page.reload()

    expect(page.locator(".attachment .name")).to_have_text(["here.png"])
    expect(page.locator("#notice")).to_be_hidden()


def test_it_forgets_the_drafts_on_logging_out(browser, daphne_server):
    # A context of its own: logging out ends only its session.
    context = log_in(browser, daphne_server)
    page = new_conversation(context)
    page.locator("#message-text").fill("Nothing for the next person at this computer")
    key = draft_key(page)
    assert page.evaluate("key => localStorage.getItem(key)", key) is not None

    page.get_by_role("button", name="Log out").click()

    expect(page.get_by_label("Username")).to_be_visible()
    assert page.evaluate("key => localStorage.getItem(key)", key) is None
    context.close()
