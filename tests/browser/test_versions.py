"""Steering a conversation in Chromium: regenerate and switch versions (and a
second tab following), edit and resend, retry after an error, copy, the
settings panel, quick actions and region zoom."""

import base64
import io
import re

from PIL import Image

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, expect_image_shown, png_file, send
from tests.support.images import noisy_png


def user_message(page):
    return page.locator(".message.user").last


def versions(item):
    return item.locator(".version-label")


def test_it_regenerates_twice_and_switches_between_versions(page, live_upstream):
    live_upstream.queue(
        Reply(tokens=["One ", "cat."]), Reply(tokens=["Two ", "cats."]),
        Reply(tokens=["Three ", "cats."]),
    )  # fmt: skip
    send(page, "How many cats?")
    expect(answer(page).locator(".body")).to_have_text("One cat.")

    answer(page).get_by_role("button", name="Regenerate").click()
    expect(answer(page).locator(".body")).to_have_text("Two cats.")
    answer(page).get_by_role("button", name="Regenerate").click()
    expect(answer(page).locator(".body")).to_have_text("Three cats.")
    expect(versions(answer(page))).to_have_text("3 / 3")

    answer(page).get_by_role("button", name="Previous version").click()
    expect(answer(page).locator(".body")).to_have_text("Two cats.")
    expect(versions(answer(page))).to_have_text("2 / 3")
    answer(page).get_by_role("button", name="Previous version").click()
    expect(answer(page).locator(".body")).to_have_text("One cat.")
    expect(answer(page).get_by_role("button", name="Previous version")).to_be_disabled()
    expect(page.locator(".message")).to_have_count(2)  # one question, one answer on screen

    page.reload()
    expect(answer(page).locator(".body")).to_have_text("One cat.")  # the switch was stored
    assert [r.body["messages"][-1] for r in live_upstream.requests] == [
        {"role": "user", "content": [{"type": "text", "text": "How many cats?"}]}
    ] * 3


def test_it_regenerates_with_another_model(page, live_upstream):
    live_upstream.queue(Reply(tokens=["From gpt."]), Reply(tokens=["From gemini."]))
    send(page, "Who are you?")
    expect(answer(page).locator(".body")).to_have_text("From gpt.")

    answer(page).get_by_label("Regenerate with another model").select_option("gemini-2.5-pro")

    expect(answer(page).locator(".body")).to_have_text("From gemini.")
    expect(answer(page).locator(".meta")).to_contain_text("gemini-2.5-pro")
    expect(versions(answer(page))).to_have_attribute("title", "1: gpt-4o, 2: gemini-2.5-pro")
    assert live_upstream.requests[1].body["model"] == "gemini-2.5-pro"


def test_a_second_tab_follows_a_version_switch_with_its_thumbs(page, live_upstream):
    live_upstream.queue(Reply(tokens=["First."]), Reply(tokens=["Second."]))
    send(page, "Say something")
    expect(answer(page).locator(".body")).to_have_text("First.")
    other = page.context.new_page()
    other.goto(page.url)
    expect(answer(other).locator(".body")).to_have_text("First.")
    bad = answer(page).get_by_role("button", name="Bad answer")
    bad.click()
    expect(bad).to_have_attribute("aria-pressed", "true")
    answer(page).get_by_role("button", name="Regenerate").click()
    expect(answer(page).locator(".body")).to_have_text("Second.")
    expect(answer(other).locator(".body")).to_have_text("Second.")

    answer(page).get_by_role("button", name="Previous version").click()

    expect(answer(other).locator(".body")).to_have_text("First.")
    expect(versions(answer(other))).to_have_text("1 / 2")
    # The thumbs given in the first tab, after the second drew that answer unthumbed.
    for tab in (page, other):
        expect(answer(tab).get_by_role("button", name="Bad answer")).to_have_attribute(
            "aria-pressed", "true"
        )
    other.close()


def test_it_edits_a_message_and_resends_it_on_a_new_branch(page, live_upstream):
    live_upstream.queue(
        Reply(tokens=["A dog."]), Reply(tokens=["Brown."]), Reply(tokens=["A giraffe."])
    )
    send(page, "What animal?")
    expect(answer(page).locator(".body")).to_have_text("A dog.")
    send(page, "What colour?")
    expect(answer(page).locator(".body")).to_have_text("Brown.")

    first = page.locator(".message.user").first
    first.get_by_role("button", name="Edit", exact=True).click()
    first.get_by_label("Edited message").fill("What animal is tallest?")
    first.get_by_role("button", name="Send").click()

    expect(answer(page).locator(".body")).to_have_text("A giraffe.")
    expect(page.locator(".message")).to_have_count(2)
    expect(user_message(page).locator(".body")).to_have_text("What animal is tallest?")
    expect(versions(user_message(page))).to_have_text("2 / 2")
    assert live_upstream.requests[2].body["messages"][1:] == [
        {"role": "user", "content": [{"type": "text", "text": "What animal is tallest?"}]}
    ]
    # The old branch is kept whole.
    user_message(page).get_by_role("button", name="Previous version").click()
    expect(page.locator(".message .body")).to_have_text(
        ["What animal?", "A dog.", "What colour?", "Brown."]
    )


def test_it_edits_the_images_of_a_message(page, live_upstream):
    live_upstream.queue(Reply(tokens=["Two."]), Reply(tokens=["One."]))
    page.locator("#file-input").set_input_files(
        [png_file("red.png"), png_file("blue.png", color=(20, 20, 230))]
    )
    expect(page.locator(".attachment.ready")).to_have_count(2)
    send(page, "How many images?")
    expect(answer(page).locator(".body")).to_have_text("Two.")

    user_message(page).get_by_role("button", name="Edit", exact=True).click()
    user_message(page).get_by_role("button", name="Remove red.png").click()
    user_message(page).get_by_role("button", name="Send").click()

    expect(answer(page).locator(".body")).to_have_text("One.")
    expect(user_message(page).locator(".images img")).to_have_count(1)
    sent = live_upstream.requests[1].body["messages"][1]["content"]
    assert [part["type"] for part in sent] == ["image_url", "text"]
    assert sent[0] == live_upstream.requests[0].body["messages"][1]["content"][1]  # blue, kept


def test_it_refuses_images_over_the_limit_in_the_edit_form_as_the_composer_does(
    page, live_upstream
):
    uploads = []
    page.on("request", lambda r: uploads.append(r) if r.url.endswith("/upload/") else None)
    live_upstream.queue(Reply(tokens=["One."]))
    page.locator("#file-input").set_input_files(png_file("first.png"))
    expect(page.locator(".attachment.ready")).to_have_count(1)
    send(page, "How many images?")
    expect(answer(page).locator(".body")).to_have_text("One.")

    user_message(page).get_by_role("button", name="Edit", exact=True).click()
    user_message(page).locator(".edit-file-input").set_input_files(
        [png_file(f"image-{n}.png", size=(10 + n, 10)) for n in range(2, 13)]
    )

    expect(page.locator("#notice")).to_have_text(
        "A message can carry at most 10 images; “image-11.png” and “image-12.png” were not added."
    )
    expect(user_message(page).locator(".edit-image.ready")).to_have_count(10)
    assert len(uploads) == 1 + 9


def test_it_shows_a_failed_upload_in_the_edit_form_and_retries_it(page, live_upstream):
    live_upstream.queue(Reply(tokens=["Text."]), Reply(tokens=["A square."]))
    send(page, "Look")
    expect(answer(page).locator(".body")).to_have_text("Text.")
    user_message(page).get_by_role("button", name="Edit", exact=True).click()
    page.route("**/upload/", lambda route: route.abort("connectionreset"))

    user_message(page).locator(".edit-file-input").set_input_files(png_file("flaky.png"))

    tile = user_message(page).locator(".edit-image")
    expect(tile).to_have_class("edit-image failed")
    expect(tile).to_contain_text("The upload failed: the connection to the server broke off.")
    page.unroute("**/upload/")
    tile.get_by_role("button", name="Retry flaky.png").click()
    expect(tile).to_have_class("edit-image ready")
    user_message(page).get_by_role("button", name="Send").click()

    expect(answer(page).locator(".body")).to_have_text("A square.")
    expect(user_message(page).locator(".images img")).to_have_count(1)


def test_it_retries_a_failed_answer_with_one_click(page, live_upstream):
    live_upstream.queue(
        Reply(status=400, body='{"error": {"message": "bad luck"}}'), Reply(tokens=["Fine now."])
    )
    page.locator("#file-input").set_input_files(png_file("receipt.png"))
    expect(page.locator(".attachment.ready")).to_have_count(1)
    send(page, "Read it")
    expect(answer(page)).to_have_attribute("data-status", "error")

    answer(page).get_by_role("button", name="Retry").click()

    expect(answer(page).locator(".body")).to_have_text("Fine now.")
    first, second = live_upstream.requests
    assert second.body == first.body  # the same message and image, nothing uploaded again


def test_it_copies_an_answer_as_markdown(page, live_upstream):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    live_upstream.queue(Reply(tokens=["**Bold** ", "and `code`."]))
    send(page, "Format something")
    expect(answer(page).locator(".body strong")).to_have_text("Bold")

    answer(page).get_by_role("button", name="Copy").click()

    expect(answer(page).get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == "**Bold** and `code`."


def test_it_sends_the_settings_of_the_panel(page, live_upstream):
    live_upstream.queue(Reply(tokens=["Oui."]))
    page.get_by_role("button", name="Settings").click()
    panel = page.locator("#settings-panel")
    panel.get_by_label("Temperature").fill("5")
    panel.get_by_role("button", name="Save").click()
    expect(panel.get_by_role("alert")).to_contain_text(
        "Temperature: Ensure this value is less than or equal to 2."
    )

    panel.get_by_label("Instructions").fill("Answer in French.")
    panel.get_by_label("Temperature").fill("0.4")
    panel.get_by_label("Longest answer").fill("300")
    panel.get_by_role("button", name="Save").click()
    expect(panel.get_by_role("status")).to_be_visible()
    send(page, "Yes?")

    expect(answer(page).locator(".body")).to_have_text("Oui.")
    body = live_upstream.requests[0].body
    assert body["messages"][1] == {"role": "system", "content": "Answer in French."}
    assert (body["temperature"], body["max_tokens"]) == (0.4, 300)


def test_it_offers_compare_only_with_two_images_or_more(page):
    page.locator("#file-input").set_input_files(png_file("one.png"))
    expect(page.locator(".attachment.ready")).to_have_count(1)
    actions = page.locator("#quick-actions")
    expect(actions.get_by_role("button", name="Describe")).to_be_visible()
    expect(actions.get_by_role("button", name="Compare")).to_be_hidden()

    page.locator("#file-input").set_input_files(png_file("two.png", color=(0, 200, 0)))
    expect(page.locator(".attachment.ready")).to_have_count(2)
    actions.get_by_role("button", name="Compare").click()
    expect(page.locator("#message-text")).to_have_value(
        "Compare these 2 images: what they have in common, how they differ, and which "
        "differences matter most."
    )
    actions.get_by_role("button", name="Extract the text").click()
    expect(page.locator("#message-text")).to_have_value(re.compile(r"tables as Markdown tables"))


def test_it_zooms_into_a_dragged_region_and_sends_it(page, live_upstream):
    live_upstream.queue(Reply(tokens=["Total 12 €."]))
    receipt = {"name": "receipt.png", "mimeType": "image/png", "buffer": noisy_png((800, 600))}
    page.locator("#file-input").set_input_files(receipt)
    expect(page.locator(".attachment.ready")).to_have_count(1)

    page.get_by_role("button", name="Zoom into a region of receipt.png").click()
    picture = page.locator("#crop-dialog .crop-image")
    expect_image_shown(picture)
    box = picture.bounding_box()
    page.mouse.move(box["x"] + box["width"] * 0.25, box["y"] + box["height"] * 0.25)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.75, box["y"] + box["height"] * 0.5, steps=5)
    page.mouse.up()
    expect(page.locator("#crop-dialog .crop-size")).to_contain_text("of 800×600")
    page.get_by_role("button", name="Add region").click()

    tiles = page.locator(".attachment.ready")
    expect(tiles).to_have_count(2)
    expect(tiles.nth(1)).to_contain_text("Zoomed region 400×150")
    expect(tiles.nth(1).locator(".estimate")).to_have_text("≈ 255 input tokens")
    send(page, "The total?")

    expect(answer(page).locator(".body")).to_have_text("Total 12 €.")
    whole, region, _ = live_upstream.requests[0].body["messages"][1]["content"]
    assert region["image_url"]["detail"] == "high"
    data = region["image_url"]["url"].split(",", 1)[1]
    size = Image.open(io.BytesIO(base64.b64decode(data))).size
    assert abs(size[0] - 400) <= 4 and abs(size[1] - 150) <= 4  # half wide, a quarter high
