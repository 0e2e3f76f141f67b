"""Boxes on images in review, in Chromium: a box dragged with the mouse on a
4000×3000 photo shown 800 px wide is kept in the photo's own pixels, shows
over the image, and can be moved from the keyboard with its numbers; a
finger draws one too; the boxes' part of the page passes axe."""

import re
from pathlib import Path

import pytest

from tests.support.browser import drag_box, expect
from tests.support.live import PASSWORD

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core-4.14.1" / "axe.min.js"


@pytest.fixture(scope="module")
def boxes_site(live_site):
    live_site.manage(
        "shell", "-c", "from tests.support.review_site import seed_datasets; seed_datasets()",
        PASSWORD=PASSWORD,
    )  # fmt: skip
    return live_site


def open_review(browser, daphne_server, title, **options):
    context = browser.new_context(
        base_url=daphne_server.url, viewport={"width": 1700, "height": 1000}, **options
    )
    context.add_init_script(path=AXE)
    page = context.new_page()
    page.goto("/admin/login/?next=/admin/chat/conversation/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.get_by_role("link", name=title).click()
    page.wait_for_load_state()
    return context, page


def serious_violations_in(page, selector):
    results = page.evaluate(
        "(selector) => axe.run({ include: [[selector]] }, { resultTypes: ['violations'] })",
        selector,
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_a_box_drawn_on_a_4000_by_3000_photo_shown_at_800_px_is_kept_in_its_pixels(
    browser, boxes_site, daphne_server
):
    context, page = open_review(browser, daphne_server, "Count the cars in this street")
    boxes = page.locator(".review-boxes")
    if boxes.get_attribute("open") is None:  # open already once it holds a box
        boxes.locator("summary").click()
    surface = boxes.locator(".review-box-surface")
    expect(surface).to_have_attribute("data-width", "4000")
    assert serious_violations_in(page, ".review-boxes") == []

    rect = drag_box(page, surface, (100, 150), (300, 450))

    assert rect["width"] == 800  # the display copy, on screen at 800 px
    form = boxes.locator("form[id^=new-box]")
    # 800 px for 4000: every screen pixel is five of the original's.
    for label, value in (("Left", "500"), ("Top", "750"), ("Width", "1000"), ("Height", "1500")):
        expect(form.get_by_label(f"{label} (px)")).to_have_value(value)
    expect(form.get_by_label("Tag")).to_be_focused()  # drawn: on to its tag
    page.keyboard.type("miscounted-cars")
    form.get_by_label("Note").fill("a van counted as a car")
    form.get_by_role("button", name="Save box").click()

    expect(page.locator(".messagelist")).to_contain_text("Box saved.")
    stored = page.locator(".review-box-list li")
    expect(stored).to_contain_text("miscounted-cars")
    expect(stored).to_contain_text("500, 750, 1000×1500 px")
    expect(stored).to_contain_text("a van counted as a car")
    # Over the drawing copy where it was drawn, and over the thumbnail too.
    expect(page.locator(".review-box-surface img")).to_have_js_property("complete", True)
    overlay = page.locator(".review-box-surface .review-box-overlay")
    placed = overlay.bounding_box()
    image = page.locator(".review-box-surface img").bounding_box()
    assert round(placed["x"] - image["x"]) == 100 and round(placed["width"]) == 200
    assert round(placed["y"] - image["y"]) == 150 and round(placed["height"]) == 300
    expect(page.locator(".review-images .review-box-overlay")).to_have_count(1)
    assert serious_violations_in(page, ".review-boxes") == []

    # From the keyboard: the box's own numbers, Enter saves.
    mine = stored.locator("form")
    mine.get_by_label("Left (px)").fill("600")
    mine.get_by_label("Left (px)").press("Enter")
    expect(page.locator(".messagelist")).to_contain_text("Box changed.")
    expect(page.locator(".review-box-list li")).to_contain_text("600, 750, 1000×1500 px")
    # Placed by the page's module script once it has run: waited for, not read at once.
    overlay = page.locator(".review-box-surface .review-box-overlay")
    expect(overlay).to_have_attribute("style", re.compile(r"left: 15(\.0+)?%"))  # 600 of 4000
    context.close()


def test_a_finger_draws_a_box_too(browser, boxes_site, daphne_server):
    context, page = open_review(
        browser, daphne_server, "Count the cars in this street", has_touch=True
    )
    boxes = page.locator(".review-boxes")
    if boxes.get_attribute("open") is None:  # open already once it holds a box
        boxes.locator("summary").click()
    image = boxes.locator(".review-box-surface img")
    expect(image).to_have_js_property("complete", True)
    pointer_types = []
    page.expose_function("notePointer", lambda kind: pointer_types.append(kind))
    surface = boxes.locator(".review-box-surface")
    surface.evaluate(
        "s => s.addEventListener('pointermove', e => window.notePointer(e.pointerType))"
    )
    image.scroll_into_view_if_needed()
    rect = image.bounding_box()

    # A finger from a quarter of the photo across and down to its middle.
    cdp = page.context.new_cdp_session(page)
    for kind, (x, y) in (("touchStart", (0.25, 0.25)), ("touchMove", (0.4, 0.4)),
                         ("touchMove", (0.5, 0.5))):  # fmt: skip
        point = {"x": rect["x"] + rect["width"] * x, "y": rect["y"] + rect["height"] * y}
        cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()

    form = boxes.locator("form[id^=new-box]")
    for label, value in (("Left", "1000"), ("Top", "750"), ("Width", "1000"), ("Height", "750")):
        expect(form.get_by_label(f"{label} (px)")).to_have_value(value)
    assert "touch" in pointer_types
    expect(boxes.locator(".review-box-draft")).to_be_visible()
    context.close()
