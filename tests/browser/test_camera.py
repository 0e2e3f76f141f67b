"""The composer's "Take photo": on a phone-size page the button opens the
camera through a file input with `capture`; on a computer the capture dialog
(getUserMedia) previews Chromium's fake camera, takes, retakes and attaches a
photo; the headers allow the camera to this origin and nothing more."""

import pytest

from tests.support.browser import CHROMIUM_ARGS, expect, log_in, new_conversation
from tests.support.services import CHROMIUM


@pytest.fixture(scope="module")
def camera_browser(chromium):
    """A Chromium of its own, with two fake cameras that need no permission prompt."""
    chromium.get()
    browser = chromium._playwright.chromium.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-device-for-media-stream=device-count=2",
            "--use-fake-ui-for-media-stream",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def camera_page(camera_browser, daphne_server):
    context = log_in(camera_browser, daphne_server)
    context.grant_permissions(["camera"])
    page = new_conversation(context)
    yield page
    context.close()


def test_the_page_allows_the_camera_to_itself_and_nothing_more(page):
    response = page.goto(page.url)

    policy = response.headers["permissions-policy"]
    assert "camera=(self)" in policy
    assert "microphone=()" in policy and "geolocation=()" in policy


def test_a_phone_size_page_has_a_take_photo_button_that_opens_the_camera(browser, daphne_server):
    context = log_in(browser, daphne_server)
    page = new_conversation(context)
    page.set_viewport_size({"width": 360, "height": 740})

    expect(page.get_by_role("button", name="Take photo")).to_be_visible()
    capture = page.locator("#capture-input")
    expect(capture).to_have_attribute("capture", "environment")
    expect(capture).to_have_attribute("accept", "image/*")
    context.close()


def test_a_computer_takes_retakes_and_attaches_a_photo_from_its_camera(camera_page):
    page = camera_page
    page.get_by_role("button", name="Take photo").click()

    dialog = page.get_by_role("dialog", name="Take a photo")
    expect(dialog).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('.camera-preview').videoWidth > 0", timeout=10000
    )
    dialog.get_by_role("button", name="Take photo").click()
    expect(dialog.get_by_role("img", name="The photo taken")).to_be_visible()
    dialog.get_by_role("button", name="Retake").click()
    expect(dialog.locator(".camera-preview")).to_be_visible()
    page.wait_for_function(
        "() => document.querySelector('.camera-preview').videoWidth > 0", timeout=10000
    )
    dialog.get_by_role("button", name="Take photo").click()
    dialog.get_by_role("button", name="Use photo").click()

    expect(dialog).to_be_hidden()
    expect(page.locator(".attachment.ready")).to_have_count(1)
    expect(page.locator(".attachment .name")).to_contain_text("photo-")
    # The camera is let go when the dialog closes.
    assert page.evaluate("() => document.querySelector('.camera-preview').srcObject") is None


LABEL = "() => document.querySelector('.camera-preview').srcObject?.getVideoTracks()[0]?.label"


def test_switch_camera_moves_the_preview_to_the_other_camera(camera_page):
    page = camera_page
    page.get_by_role("button", name="Take photo").click()
    dialog = page.get_by_role("dialog", name="Take a photo")
    page.wait_for_function(
        "() => document.querySelector('.camera-preview').videoWidth > 0", timeout=10000
    )
    page.wait_for_function(LABEL)
    first = page.evaluate(LABEL)

    dialog.get_by_role("button", name="Switch camera").click()

    page.wait_for_function(
        f"first => {{ const label = ({LABEL})(); return label && label !== first; }}",
        arg=first, timeout=10000,
    )  # fmt: skip
    dialog.get_by_role("button", name="Switch camera").click()
    page.wait_for_function(f"first => ({LABEL})() === first", arg=first, timeout=10000)
    page.wait_for_function(
        "() => document.querySelector('.camera-preview').videoWidth > 0", timeout=10000
    )
    dialog.get_by_role("button", name="Take photo").click()
    dialog.get_by_role("button", name="Use photo").click()
    expect(page.locator(".attachment.ready")).to_have_count(1)
