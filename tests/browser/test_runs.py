"""A run in Chromium: twelve images uploaded on the new-run page, one prompt run
on each, the page reloaded midway, the run seen to finish; and the composer's
"Run on every image" on the images attached to a message."""

import itertools
import re

import pytest

from chat.testing.upstream import Reply
from tests.support.browser import expect
from tests.support.documents import scanned_pdf
from tests.support.images import image_bytes

ITEMS = 12


def image_file(number):
    data = image_bytes("PNG", size=(48, 36), color=(number * 20, 120, 90))
    return {"name": f"receipt-{number}.png", "mimeType": "image/png", "buffer": data}


@pytest.fixture(autouse=True)
def _plain_replies(live_upstream):
    yield
    live_upstream.reply_for = None


def test_it_finishes_a_run_of_twelve_images_across_a_reload(page, daphne_server, live_upstream):
    # The first three answers come at once; the others wait for a release, so
    # the reload is made with the run surely midway.
    numbers = itertools.count(1)
    live_upstream.reply_for = lambda body: Reply(
        tokens=["Total: ", "12.50"], hold_after=None if next(numbers) <= 3 else 1
    )
    page.goto(daphne_server.url + "/runs/new/")
    page.locator("#run-files").set_input_files([image_file(n) for n in range(1, ITEMS + 1)])
    expect(page.locator("#run-upload-status")).to_have_text("12 images ready.", timeout=60_000)
    expect(page.locator("#run-thumbs img")).to_have_count(ITEMS)
    page.locator("#run-prompt").fill("What is the total on this receipt?")
    page.locator("#run-start").click()

    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]{36}/$"))
    rows = page.locator("#run-rows tr")
    expect(rows).to_have_count(ITEMS)
    expect(page.locator('#run-rows tr[data-status="done"]')).to_have_count(3, timeout=30_000)
    expect(page.locator("#run-counts")).to_contain_text("Running: 3 done · 0 failed · 9 left")

    page.reload()
    expect(page.locator('#run-rows tr[data-status="done"]')).to_have_count(3)
    live_upstream.release.set()

    expect(page.locator('#run-rows tr[data-status="done"]')).to_have_count(ITEMS, timeout=60_000)
    expect(page.locator("#run-counts")).to_contain_text("Finished: 12 done · 0 failed · 0 left")
    expect(page.locator("#run-bar")).to_have_attribute("value", str(ITEMS))
    expect(rows.first.locator("td").nth(2)).to_have_text("Total: 12.50")
    expect(rows.first.locator("img")).to_have_attribute("src", re.compile("/thumbnail/$"))
    expect(page.locator("#run-stop")).to_be_hidden()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    text = open(download.value.path(), encoding="utf-8-sig").read()
    assert len(text.strip().splitlines()) == ITEMS + 1


def test_it_runs_the_prompt_on_every_page_of_a_document_from_the_composer(page, live_upstream):
    pdf = {"name": "invoices.pdf", "mimeType": "application/pdf", "buffer": scanned_pdf(pages=3)}
    page.locator("#file-input").set_input_files(pdf)
    tile = page.locator(".attachment.document")
    expect(tile.locator(".name")).to_have_text("invoices.pdf · 3 pages")
    expect(tile.locator("progress")).to_have_count(0, timeout=60_000)  # every page drawn
    run_button = page.locator("#run-every")
    expect(run_button).to_have_text("Run on every page")

    run_button.click()  # no prompt yet
    expect(page.locator("#notice")).to_have_text(
        "Write the prompt first: it is sent with every page or image."
    )
    page.locator("#message-text").fill("What is the invoice number?")
    run_button.click()

    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]{36}/$"))
    expect(page.locator('#run-rows tr[data-status="done"]')).to_have_count(3, timeout=60_000)
    expect(page.locator("#run-rows img").first).to_have_attribute("alt", "page 1")
    texts = [
        request.body["messages"][1]["content"][0]["text"] for request in live_upstream.requests
    ]
    assert texts == ["What is the invoice number?"] * 3


def test_it_extracts_the_same_fields_from_every_image_from_the_composer(page, live_upstream):
    from tests.browser.test_extraction import list_fields

    live_upstream.reply_for = lambda body: Reply(
        tokens=['{"Total": 12.5, "Paid": true}'] if "Total" in str(body) else ["?"]
    )
    page.locator("#file-input").set_input_files([image_file(1), image_file(2)])
    expect(page.locator(".attachment.ready")).to_have_count(2)
    page.locator("#quick-actions").get_by_role("button", name="Extract these fields…").click()
    list_fields(page, [("Total", "money"), ("Paid", "yesno")])
    page.locator("#run-every").click()

    expect(page).to_have_url(re.compile(r"/runs/[0-9a-f-]{36}/$"))
    expect(page.locator('#run-rows tr[data-status="done"]')).to_have_count(2, timeout=60_000)
    expect(page.locator("#run-rows tr").first.locator("td").nth(2)).to_have_text(
        "Total: 12.5\nPaid: yes"
    )
    schema = live_upstream.requests[0].body["response_format"]["json_schema"]["schema"]
    assert list(schema["properties"]) == ["Total", "Paid"]
