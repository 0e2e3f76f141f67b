"""Importing a ChatGPT export in Chromium: the file chosen on Your data, the
progress until done, then the conversation with its branch as versions and
its image in the viewer."""

from tests.support.browser import expect, expect_image_shown
from tests.support.exports import chatgpt_branched, chatgpt_simple, chatgpt_zip


def test_an_imported_conversation_opens_with_versions_and_its_image(alice_context):
    page = alice_context.new_page()
    page.goto("/account/data/")
    data = chatgpt_zip([chatgpt_branched()], [chatgpt_simple()])
    page.get_by_label("Export file").set_input_files(
        {"name": "chatgpt-export.zip", "mimeType": "application/zip", "buffer": data}
    )
    page.get_by_role("button", name="Import").click()
    expect(page.locator(".import-item").first).to_contain_text("2 conversations imported.")

    page.goto("/")
    page.get_by_role("link", name="Blue picture").first.click()
    answer = page.locator(".message.assistant").first
    expect(answer).to_contain_text("A blue rectangle.")
    expect(answer.locator(".version-label")).to_have_text("2 / 2")
    page.locator(".message.user").first.locator(".images a").first.click()
    expect_image_shown(page.locator("#image-viewer .viewer-image"))
    expect(page.locator("#image-viewer .viewer-name")).to_have_text("file-cat1-cat.png")
    page.close()
