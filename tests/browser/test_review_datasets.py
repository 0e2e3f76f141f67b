"""From review to a dataset in Chromium: a reviewer corrects an answer, scores
it on two dimensions from the keyboard, draws a box with a tag on its photo,
and downloads the SFT JSONL of that conversation, which carries the
correction, the box and the image."""

import base64
import json

import pytest

from tests.support.browser import drag_box, expect
from tests.support.live import PASSWORD


@pytest.fixture(scope="module")
def datasets_site(live_site):
    live_site.manage(
        "shell", "-c", "from tests.support.review_site import seed_datasets; seed_datasets()",
        PASSWORD=PASSWORD,
    )  # fmt: skip
    return live_site


def test_a_reviewer_corrects_scores_and_exports_the_conversation(
    browser, datasets_site, daphne_server
):
    context = browser.new_context(
        base_url=daphne_server.url, viewport={"width": 1700, "height": 900}
    )
    page = context.new_page()
    page.goto("/admin/login/?next=/admin/chat/conversation/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name="Read this receipt").click()

    # The correction: written, previewed through the sanitizer, saved, approved.
    page.wait_for_load_state()
    page.locator(".review-message.assistant").focus()
    page.keyboard.press("c")  # write a correction of the focused answer
    box = page.get_by_label("Write a correction (Markdown)")
    expect(box).to_be_focused()
    box.fill("The total is **45.20**.")
    page.get_by_role("button", name="Preview").click()
    expect(page.locator(".review-correction-preview strong")).to_have_text("45.20")
    page.get_by_role("button", name="Save correction").click()
    expect(page.locator(".review-diff")).to_contain_text("42.00.")
    expect(page.locator(".review-diff ins")).to_have_text("**45.20**.")
    with page.expect_navigation():
        page.get_by_role("button", name="Approve this correction").click()
    expect(page.locator(".review-correction-badge")).to_have_text("the correction")
    # The shortcuts are the page's module script's: a key pressed before it ran
    # (the markup shows first) went to the next field instead.
    page.wait_for_load_state()

    # Two scores from the keyboard: "r" to the first, 4, Tab to the next, y, Enter.
    page.locator(".review-message.assistant").focus()
    page.keyboard.press("r")
    page.keyboard.press("4")
    page.keyboard.press("Tab")
    page.keyboard.press("y")
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Scores saved.")
    expect(page.locator('.review-dimension input[value="4"]')).to_be_checked()
    expect(page.locator('.review-dimension input[value="yes"]')).to_be_checked()

    # A box round the total, with a tag: the 640×420 photo is drawn 800 px wide.
    boxes = page.locator(".review-boxes")
    boxes.locator("summary").click()
    drag_box(page, boxes.locator(".review-box-surface"), (100, 100), (300, 200))
    boxes.get_by_label("Tag").fill("misread-total")
    boxes.get_by_role("button", name="Save box").click()
    expect(page.locator(".review-box-list")).to_contain_text("80, 80, 160×80 px")

    # The dataset: the list's action, its options page, the download.
    page.goto("/admin/chat/conversation/?q=receipt")
    page.locator("#result_list input.action-select").first.check()
    page.locator("select[name=action]").select_option("make_dataset")
    page.locator("button[name=index]").click()  # the action bar's "Go"
    expect(page.locator("#content-main")).to_contain_text("1 selected conversation")
    page.get_by_label("Add the boxes drawn on the images (supervised fine-tuning)").check()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the dataset").click()
    lines = open(download.value.path(), encoding="utf-8").read().splitlines()
    context.close()

    (example,) = [json.loads(line) for line in lines]
    system, user, answer = example["messages"]
    assert answer == {"role": "assistant", "content": "The total is **45.20**."}
    picture, text = user["content"]
    assert text == {"type": "text", "text": "What is the total?"}
    header, data = picture["image_url"]["url"].split(",", 1)
    assert header == "data:image/jpeg;base64"
    assert base64.b64decode(data)[:3] == b"\xff\xd8\xff"  # the JPEG the model was sent
    (box,) = example["boxes"]
    assert box["bbox"] == [80, 80, 160, 80] and box["label"] == "misread-total"
    assert (box["image"], box["width"], box["height"]) == (0, 640, 420)
