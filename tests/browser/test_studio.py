"""The image studio in Chromium: an image model's settings, its generated image
shown large with download and "Edit this image", and the edit's request."""

import base64
import io
import re

from PIL import Image

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, expect_image_shown, png_file, send
from tests.support.images import image_bytes

IMAGE_MODEL = "gemini-3-pro-image-preview"
GREEN = (30, 200, 30)


def data_uri(data, mime="image/png"):
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def image_parts(message):
    return [p["image_url"]["url"] for p in message["content"] if p.get("type") == "image_url"]


def decoded(uri):
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1]))).convert("RGB")


def pick_image_model(page):
    page.locator("#model").select_option(IMAGE_MODEL)
    expect(page.locator("#image-settings")).to_be_visible()


def test_it_makes_an_image_with_the_chosen_settings_then_edits_it(page, live_upstream):
    drawn = image_bytes("PNG", size=(1024, 576), color=GREEN)
    live_upstream.queue(
        Reply(tokens=["A green field."], images=[data_uri(drawn)]), Reply(tokens=["Bluer now."])
    )
    with page.expect_response("**/model/"):
        page.locator("#model").select_option("gpt-4o")
    expect(page.locator("#image-settings")).to_be_hidden()  # gpt-4o makes no images
    pick_image_model(page)
    with page.expect_response("**/image-settings/"):
        page.get_by_label("Aspect ratio").select_option("16:9")
    with page.expect_response("**/image-settings/"):
        page.locator("#image-size").select_option("2K")

    send(page, "A green field, wide")

    expect(answer(page)).to_have_attribute("data-status", "complete")
    first = live_upstream.requests[0].body
    assert first["modalities"] == ["image", "text"]
    assert first["image_config"] == {"aspect_ratio": "16:9", "image_size": "2K"}
    shown = answer(page).locator(".generated img")
    expect_image_shown(shown)
    # Large, at its aspect ratio: wider than any thumbnail (220 px), 16:9.
    box = shown.bounding_box()
    assert box["width"] > 300
    assert abs(box["width"] / box["height"] - 16 / 9) < 0.02

    with page.expect_download() as download_info:
        answer(page).get_by_role("link", name="Download generated image 1").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".png")
    assert IMAGE_MODEL in download.suggested_filename
    assert "A-green-field" in download.suggested_filename
    assert open(download.path(), "rb").read() == drawn  # the stored bytes

    answer(page).get_by_role("button", name="Edit this image").click()
    expect(page.locator(".attachment.ready")).to_have_count(1)
    expect(page.locator("#switch-offer")).to_be_hidden()  # already an image model
    send(page, "Make the field blue")

    expect(answer(page).locator(".body")).to_have_text("Bluer now.")
    edit = live_upstream.requests[1].body
    [sent] = image_parts(edit["messages"][-1])  # the edit turn's own image
    assert decoded(sent).size == (1024, 576)
    assert decoded(sent).getpixel((500, 300)) == GREEN
    assert edit["image_config"] == {"aspect_ratio": "16:9", "image_size": "2K"}
    # The settings stay with the conversation.
    page.reload()
    expect(page.get_by_label("Aspect ratio")).to_have_value("16:9")


def test_editing_with_a_model_that_cannot_make_images_offers_to_switch(page, live_upstream):
    with page.expect_response("**/model/"):
        page.locator("#model").select_option("gpt-4o")
    page.locator("#file-input").set_input_files(png_file("photo.png", size=(64, 48)))
    expect(page.locator(".attachment.ready")).to_have_count(1)
    send(page, "What is this?")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    page.get_by_role("button", name="Edit this image (photo.png)").click()

    expect(page.locator(".attachment.ready")).to_have_count(1)
    offer = page.locator("#switch-offer")
    expect(offer).to_contain_text("gpt-4o does not make images")
    with page.expect_response("**/model/"):
        offer.get_by_role("button", name="Switch to gemini-2.5-flash-image").click()
    expect(page.locator("#model")).to_have_value("gemini-2.5-flash-image")
    expect(offer).to_be_hidden()
    expect(page.locator("#image-settings")).to_be_visible()


def test_the_viewer_loads_the_display_copy_first_and_the_original_on_asking(page, live_upstream):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.locator("#file-input").set_input_files(png_file("wide.png", size=(3000, 1600)))
    expect(page.locator(".attachment.ready")).to_have_count(1)
    send(page, "What is this?")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    page.locator(".message.user .images a").first.click()
    viewer = page.locator("#image-viewer")
    expect_image_shown(viewer.locator(".viewer-image"))
    expect(viewer.locator(".viewer-details")).to_contain_text("original 3000×1600")
    assert any("/display/" in url for url in requested)
    assert not any("/original/" in url for url in requested)
    assert viewer.locator(".viewer-image").evaluate("img => img.naturalWidth") == 2048

    viewer.get_by_role("button", name="Original size").click()
    expect_image_shown(viewer.locator(".viewer-image"))
    assert any("/original/" in url for url in requested)
    page.wait_for_function(
        "() => document.querySelector('.viewer-image').naturalWidth === 3000", timeout=5000
    )


def test_the_viewer_shows_an_edits_lineage_with_a_before_and_after(page, live_upstream):
    first = image_bytes("PNG", size=(640, 360), color=GREEN)
    second = image_bytes("PNG", size=(640, 360), color=(30, 30, 200))
    live_upstream.queue(
        Reply(tokens=["Green."], images=[data_uri(first)]),
        Reply(tokens=["Blue."], images=[data_uri(second)]),
    )
    pick_image_model(page)
    send(page, "A green field")
    expect(answer(page).locator(".generated img")).to_have_count(1)
    answer(page).get_by_role("button", name="Edit this image").click()
    expect(page.locator(".attachment.ready")).to_have_count(1)
    send(page, "Make it blue")
    expect(answer(page).locator(".body")).to_have_text("Blue.")

    answer(page).get_by_role("button", name="Open generated image 1 in the viewer").click()
    strip = page.get_by_role("navigation", name="Lineage of this image")
    expect(strip.get_by_role("button")).to_have_count(2)
    expect(strip.locator("[aria-current=true]")).to_have_count(1)
    viewer = page.locator("#image-viewer")
    viewer.get_by_role("button", name="Before / after").click()
    expect(viewer.locator(".viewer-before")).to_be_visible()
    expect(viewer.get_by_label("Before and after: drag to move the divide")).to_be_visible()

    strip.get_by_role("button").first.click()  # back to the first picture
    expect(strip.get_by_role("button").first).to_have_attribute("aria-current", "true")
    expect(viewer.get_by_role("button", name="Before / after")).to_be_hidden()


def test_your_images_lists_generated_ones_each_linked_to_its_message(page, live_upstream):
    drawn = image_bytes("PNG", size=(320, 180), color=GREEN)
    live_upstream.queue(Reply(tokens=["Here."], images=[data_uri(drawn)]))
    pick_image_model(page)
    send(page, "A green field for the gallery")
    expect(answer(page).locator(".generated img")).to_have_count(1)

    page.goto("/images/?kind=generated")
    tiles = page.locator(".gallery-item")
    expect(tiles.first).to_contain_text("A green field for the gallery")
    expect(page.get_by_role("link", name="Generated", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    tiles.first.locator("a").first.click()
    expect(page).to_have_url(re.compile(r"/c/[0-9a-f-]+/#message-[0-9]+$"))


def drag(page, canvas, start, end):
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] * start[0], box["y"] + box["height"] * start[1])
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * end[0], box["y"] + box["height"] * end[1], steps=5)
    page.mouse.up()


def test_a_marked_up_photo_is_sent_as_the_marked_copy_with_a_note(page, live_upstream):
    blue = (30, 60, 220)
    page.locator("#file-input").set_input_files(png_file("hall.png", size=(400, 300), color=blue))
    expect(page.locator(".attachment.ready")).to_have_count(1)

    page.get_by_role("button", name="Mark up hall.png").click()
    editor = page.get_by_role("dialog", name="Mark up hall.png")
    canvas = editor.locator("canvas")
    page.wait_for_function("() => document.querySelector('.markup-canvas').width === 400")
    editor.get_by_label("Rectangle").check()
    drag(page, canvas, (0.2, 0.2), (0.6, 0.6))
    editor.get_by_label("Arrow").check()
    drag(page, canvas, (0.9, 0.9), (0.65, 0.65))
    editor.get_by_label("Ellipse").check()
    drag(page, canvas, (0.1, 0.7), (0.3, 0.9))
    editor.get_by_role("button", name="Undo").click()  # the ellipse goes
    with page.expect_response("**/markup/"):
        editor.get_by_role("button", name="Done").click()
    expect(page.locator(".attachment.ready")).to_have_count(1)
    expect(page.locator(".attachment .name")).to_have_text("hall-marked.png")

    live_upstream.queue(Reply(tokens=["That door."]))
    send(page, "What is marked?")
    expect(answer(page).locator(".body")).to_have_text("That door.")

    content = live_upstream.requests[-1].body["messages"][-1]["content"]
    [sent] = image_parts(live_upstream.requests[-1].body["messages"][-1])
    picture = decoded(sent)
    assert (
        picture.getpixel((80, 150)) != blue
    )  # the rectangle's left edge: marked, not the original
    assert picture.getpixel((300, 30)) == blue
    notes = [p["text"] for p in content if p["type"] == "text"]
    assert notes[0].startswith("The red marks on image 1 (a rectangle and an arrow) were drawn")


def test_it_finds_no_serious_violation_in_the_markup_editor_or_your_images(page, live_upstream):
    from tests.browser.test_accessibility import AXE, THEMES, serious_violations

    page.context.add_init_script(path=AXE)
    page.reload()
    page.locator("#file-input").set_input_files(png_file("hall.png", size=(300, 200)))
    expect(page.locator(".attachment.ready")).to_have_count(1)
    page.get_by_role("button", name="Mark up hall.png").click()
    expect(page.get_by_role("dialog", name="Mark up hall.png")).to_be_visible()
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        assert serious_violations(page) == [], "markup editor, " + theme
    page.keyboard.press("Escape")
    page.goto("/images/")
    expect(page.get_by_role("heading", name="Your images")).to_be_visible()
    for theme in THEMES:
        page.emulate_media(color_scheme=theme)
        assert serious_violations(page) == [], "your images, " + theme
