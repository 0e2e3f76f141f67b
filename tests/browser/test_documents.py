"""Documents on the conversation page in Chromium: a PDF becomes one tile,
its pages are chosen in the page picker, and the chosen pages reach the
gateway and the transcript."""

import base64
import io

from PIL import Image

from chat.images.tokens import derivative_size
from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, send
from tests.support.documents import scanned_pdf


def pdf_file(name="contract.pdf", pages=3):
    return {"name": name, "mimeType": "application/pdf", "buffer": scanned_pdf(pages=pages)}


def sent_images(request):
    parts = request.body["messages"][-1]["content"]
    return [part["image_url"] for part in parts if part["type"] == "image_url"]


def test_it_sends_the_pages_chosen_in_the_picker(page, live_upstream):
    page.locator("#file-input").set_input_files(pdf_file())
    tile = page.locator(".attachment.document")
    expect(tile.locator(".name")).to_have_text("contract.pdf · 3 pages")
    expect(tile.locator(".estimate")).to_contain_text("3 of 3 pages")

    tile.locator(".choose-pages").click()
    picker = page.locator("#page-picker")
    expect(picker.locator(".page-grid li")).to_have_count(3)
    picker.locator(".page-ranges").fill("1, 3")
    picker.locator(".page-apply").click()
    expect(picker.locator(".page-summary")).to_contain_text("2 of 3 pages")
    picker.locator(".page-done").click()
    expect(tile.locator(".estimate")).to_contain_text("2 of 3 pages")
    # Send waits for the chosen pages to be drawn (a loaded machine takes seconds a page).
    expect(tile.locator("progress")).to_have_count(0, timeout=60_000)

    live_upstream.queue(Reply(tokens=["Two pages."]))
    send(page, "What do pages 1 and 3 say?")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    # The transcript: one document block, its two pages, the original to download.
    question = page.locator(".message.user").last
    expect(question.locator(".document-label")).to_contain_text("contract.pdf")
    expect(question.locator(".document-label")).to_contain_text("pages 1, 3 of 3")
    expect(question.locator(".images img")).to_have_count(2)
    download = question.locator(".document-label a")
    expect(download).to_have_attribute("download", "contract.pdf")

    # The gateway got pages 1 and 3, at high detail, 768 px wide (chat/documents/README.md).
    images = sent_images(live_upstream.requests[0])
    assert [image["detail"] for image in images] == ["high", "high"]
    colours = []
    for image in images:
        data = base64.b64decode(image["url"].split(",", 1)[1])
        picture = Image.open(io.BytesIO(data)).convert("RGB")
        assert picture.size == derivative_size(1583, 2048, "high") == (768, 994)
        colours.append(picture.getpixel((5, 5)))
    # Page 1 is near white, page 3 light blue (tests/support/documents.py).
    assert colours[0][2] > 240 and colours[0][0] > 240
    assert colours[1][0] < 225 and colours[1][2] > 240


def test_it_refuses_an_encrypted_pdf_with_its_sentence(page):
    from tests.support.documents import encrypted_pdf

    page.locator("#file-input").set_input_files(
        {"name": "secret.pdf", "mimeType": "application/pdf", "buffer": encrypted_pdf()}
    )

    expect(page.locator(".attachment.failed")).to_contain_text(
        "“secret.pdf” is protected by a password"
    )


def test_an_answer_with_a_table_downloads_as_csv(page, live_upstream):
    live_upstream.queue(Reply(tokens=["| Item | Price |\n|---|---|\n| Café | 3.20 |\n"]))
    send(page, "List the items")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    link = answer(page).locator(".table-downloads a", has_text="CSV")
    expect(link).to_have_count(1)
    response = page.request.get(link.get_attribute("href"))

    assert response.body().decode("utf-8-sig").splitlines() == ["Item,Price", "Café,3.2"]


def test_it_sends_the_text_layer_when_chosen_in_the_picker(page, live_upstream):
    from tests.support.documents import text_pdf

    page.locator("#file-input").set_input_files(
        {"name": "invoice.pdf", "mimeType": "application/pdf", "buffer": text_pdf(["Total 99.50"])}
    )
    tile = page.locator(".attachment.document")
    expect(tile.locator("progress")).to_have_count(0, timeout=60_000)
    tile.locator(".choose-pages").click()
    picker = page.locator("#page-picker")
    expect(picker.locator(".page-text-count")).to_have_text("(1 of 1 pages have text)")
    picker.locator(".page-send-text").check()
    picker.locator(".page-done").click()
    expect(tile.locator(".estimate")).to_contain_text("with their text")

    live_upstream.queue(Reply(tokens=["99.50"]))
    send(page, "What is the total?")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    parts = live_upstream.requests[0].body["messages"][-1]["content"]
    assert [part["type"] for part in parts] == ["image_url", "text", "text"]
    assert parts[1]["text"] == "Text layer of page 1 of “invoice.pdf”:\nTotal 99.50"
