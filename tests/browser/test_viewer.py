"""The image viewer and how images sit in the transcript, in Chromium: a
thumbnail opens its message's images large, to zoom, pan and page through;
thumbnails load lazily in a box of their own size; an image-only message has
no empty bubble; the model's images sit with its answer."""

import base64

import pytest

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, expect_image_shown, png_file, send

VIEWER = "#image-viewer"


def attach(page, *files):
    page.locator("#file-input").set_input_files(list(files))
    expect(page.locator(".attachment.ready")).to_have_count(len(files))


def zoom_percent(page):
    return int(page.locator(f"{VIEWER} .viewer-zoom").text_content().rstrip("%"))


def shown_box(page):
    return page.locator(f"{VIEWER} .viewer-image").bounding_box()


@pytest.fixture
def two_image_message(page, live_upstream):
    attach(
        page,
        png_file("wide.png", size=(1600, 1200), color=(200, 40, 40)),
        png_file("small.png", size=(300, 200), color=(40, 40, 200)),
    )
    live_upstream.queue(Reply(tokens=["Two squares."]))
    send(page, "Compare them")
    expect(answer(page)).to_have_attribute("data-status", "complete")
    return page.locator(".message.user").last


def test_it_opens_an_image_large_zooms_pans_pages_and_closes(page, two_image_message):
    thumbnails = two_image_message.locator(".images a")
    thumbnails.first.click()

    viewer = page.locator(VIEWER)
    expect(viewer).to_be_visible()
    expect(viewer.locator(".viewer-name")).to_have_text("wide.png")
    expect(viewer.locator(".viewer-details")).to_contain_text("1600×1200")
    expect(viewer.locator(".viewer-position")).to_have_text("1 of 2")
    picture = viewer.locator(".viewer-image")
    expect_image_shown(picture)
    # The original, at full resolution, not the 160-px thumbnail.
    assert picture.evaluate("img => img.naturalWidth") == 1600
    fitted = zoom_percent(page)
    assert fitted < 100  # 1600 px shrunk to fit the window
    box = shown_box(page)

    page.keyboard.press("+")
    expect(viewer.locator(".viewer-zoom")).not_to_have_text(f"{fitted}%")
    assert zoom_percent(page) > fitted
    assert shown_box(page)["width"] > box["width"] * 1.2

    viewer.get_by_role("button", name="Zoom in").click()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    before_wheel = zoom_percent(page)
    page.mouse.wheel(0, -400)
    page.wait_for_function(
        f"() => parseInt(document.querySelector('{VIEWER} .viewer-zoom').textContent)"
        f" > {before_wheel}"
    )

    # Drag pans the zoomed image by as much as the pointer moved.
    before_drag = shown_box(page)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 - 120, box["y"] + box["height"] / 2 + 60, steps=5)
    page.mouse.up()
    after_drag = shown_box(page)
    assert round(after_drag["x"] - before_drag["x"]) == -120
    assert round(after_drag["y"] - before_drag["y"]) == 60

    before_minus = zoom_percent(page)
    page.keyboard.press("-")
    assert zoom_percent(page) < before_minus
    viewer.get_by_role("button", name="Fit").click()
    expect(viewer.locator(".viewer-zoom")).to_have_text(f"{fitted}%")

    page.keyboard.press("ArrowRight")
    expect(viewer.locator(".viewer-name")).to_have_text("small.png")
    expect(viewer.locator(".viewer-details")).to_contain_text("300×200")
    expect(viewer.locator(".viewer-position")).to_have_text("2 of 2")
    page.keyboard.press("ArrowRight")  # round to the first again
    expect(viewer.locator(".viewer-name")).to_have_text("wide.png")
    page.keyboard.press("ArrowLeft")
    expect(viewer.locator(".viewer-name")).to_have_text("small.png")

    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    # Focus goes back to the thumbnail that opened it.
    expect(thumbnails.first).to_be_focused()


def test_it_keeps_the_focus_inside_the_viewer(page, two_image_message):
    two_image_message.locator(".images a").last.click()
    expect(page.locator(VIEWER)).to_be_visible()

    for _ in range(12):
        page.keyboard.press("Tab")
        assert page.evaluate(f"document.querySelector('{VIEWER}').contains(document.activeElement)")
    for _ in range(12):
        page.keyboard.press("Shift+Tab")
        assert page.evaluate(f"document.querySelector('{VIEWER}').contains(document.activeElement)")


def test_it_opens_an_attached_image_from_the_composer(page):
    attach(page, png_file("first.png", size=(640, 480)), png_file("second.png", size=(320, 240)))
    preview = page.get_by_role("button", name="View second.png")

    preview.click()

    viewer = page.locator(VIEWER)
    expect(viewer.locator(".viewer-name")).to_have_text("second.png")
    expect(viewer.locator(".viewer-details")).to_have_text("PNG 320×240 · 1 KB")
    expect_image_shown(viewer.locator(".viewer-image"))
    page.keyboard.press("ArrowLeft")
    expect(viewer.locator(".viewer-name")).to_have_text("first.png")
    viewer.get_by_role("button", name="Close").click()
    expect(viewer).to_be_hidden()
    expect(preview).to_be_focused()


def test_it_opens_an_image_of_a_message_being_edited(page, two_image_message):
    two_image_message.get_by_role("button", name="Edit", exact=True).click()
    chip = two_image_message.get_by_role("button", name="View small.png")

    chip.click()

    viewer = page.locator(VIEWER)
    expect(viewer.locator(".viewer-name")).to_have_text("small.png")
    expect(viewer.locator(".viewer-position")).to_have_text("2 of 2")
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()
    expect(chip).to_be_focused()
    expect(two_image_message.get_by_role("textbox", name="Edited message")).to_be_visible()


def test_it_reserves_each_thumbnails_size_before_it_loads(page, two_image_message):
    url = page.url
    page.route("**/thumbnail/", lambda route: route.abort())  # never loads
    page.goto(url)

    first = page.locator(".message.user .images img").first
    expect(first).to_have_attribute("loading", "lazy")
    # 1600×1200 inside the 220×160 box.
    box = first.bounding_box()
    assert (round(box["width"]), round(box["height"])) == (213, 160)


def test_it_shows_an_image_only_message_without_an_empty_bubble(page, live_upstream):
    attach(page, png_file("alone.png"))
    live_upstream.queue(Reply(tokens=["A red square."]))

    send(page, "")

    expect(answer(page)).to_have_attribute("data-status", "complete")
    mine = page.locator(".message.user").last
    expect_image_shown(mine.locator(".images img"))
    expect(mine.locator(".body")).to_have_count(0)


def test_it_puts_generated_images_on_the_answers_side(page, live_upstream):
    drawn = base64.b64encode(png_file(size=(64, 48))["buffer"]).decode()
    live_upstream.queue(Reply(tokens=["Here."], images=[f"data:image/png;base64,{drawn}"]))
    send(page, "Draw a square")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    generated = answer(page).locator(".generated img").bounding_box()
    text = answer(page).locator(".body").bounding_box()
    question = page.locator(".message.user .body").last.bounding_box()

    # Left-aligned with the answer's text, not at the right like the question.
    assert abs(generated["x"] - text["x"]) < 2
    assert generated["x"] + generated["width"] < question["x"]
