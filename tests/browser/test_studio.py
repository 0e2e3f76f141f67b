"""The image studio in Chromium: an image model's settings, its generated image
shown large with download and "Edit this image", and the edit's request."""

import base64
import io

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
