"""Your data in Chromium: the download button gives a zip whose pages open
offline with every image shown."""

import zipfile

from tests.support.browser import expect

MAKE_CONVERSATIONS = """
from django.contrib.auth.models import User
from tests.accounts.test_your_data import three_conversations_with_five_images
three_conversations_with_five_images(User.objects.get(username="alice"))
"""


def test_the_download_opens_offline_with_every_image(live_site, alice_context, browser, tmp_path):
    live_site.manage("shell", "-c", MAKE_CONVERSATIONS)
    page = alice_context.new_page()
    page.goto("/account/data/")
    page.get_by_role("button", name="Download all my conversations").click()
    link = page.get_by_role("link", name="Archive of")
    expect(page.locator(".export-item")).to_contain_text("3 conversations, 5 images")
    with page.expect_download() as download:
        link.click()
    download.value.save_as(tmp_path / "archive.zip")
    with zipfile.ZipFile(tmp_path / "archive.zip") as archive:
        archive.extractall(tmp_path / "unpacked")
    pages = sorted((tmp_path / "unpacked" / "conversations").glob("*.html"))

    offline = browser.new_context()
    offline.set_offline(True)
    try:
        reader = offline.new_page()
        shown = []
        for html in pages:
            reader.goto(html.as_uri())
            images = reader.locator("img")
            shown.append(images.count())
            for n in range(images.count()):
                assert images.nth(n).evaluate("img => img.complete && img.naturalWidth > 0")
        assert shown == [2, 2, 1]
        assert reader.locator("h1").text_content() == "Third"
    finally:
        offline.close()
        page.close()
