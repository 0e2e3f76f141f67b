"""Images on the conversation page in Chromium: generated images, token
estimates, GIF and HEIC previews, image URLs and the image-history setting."""

import base64

import pytest

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, expect_image_shown, png_file, send
from tests.support.https_server import ImageServer, make_ca
from tests.support.images import animated_gif, heic_photo, image_bytes

LEFT_OUT = (
    "1 earlier image was left out of this request, by this conversation's image-history setting."
)


@pytest.fixture(scope="module")
def image_server(tmp_path_factory):
    """An HTTPS server on 127.0.0.1 whose certificate the live site trusts."""
    ca = make_ca()
    cat = image_bytes("PNG", size=(50, 40), color=(30, 160, 30))
    server = ImageServer(
        ca, {"/cat.png": (200, {"Content-Type": "image/png"}, cat)}, names=["127.0.0.1"]
    )
    server.ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(server.ca_file))
    yield server
    server.stop()


@pytest.fixture(scope="module")
def live_site_environment(image_server):
    # The fetcher may reach loopback, and trusts the test CA (through OpenSSL's
    # default verify paths, which ssl.create_default_context() loads).
    return {
        "IMAGE_FETCH_ALLOWED_ADDRESSES": "127.0.0.1",
        "SSL_CERT_FILE": str(image_server.ca_file),
    }


def data_uri(data, mime="image/png"):
    return f"data:{mime};base64,{base64.b64encode(data).decode()}"


def attach(page, file):
    page.locator("#file-input").set_input_files(file)
    expect(page.locator(".attachment").last).to_have_class("attachment ready")


def test_it_shows_a_generated_image_while_the_answer_streams(page, live_upstream):
    drawn = image_bytes("PNG", size=(64, 48), color=(30, 200, 30))
    live_upstream.queue(
        Reply(
            tokens=["Here ", "it ", "is."], images=[data_uri(drawn)], images_after=2, hold_after=2
        )
    )
    send(page, "Draw a green square")

    # Held after the image: it is on the page before the answer is finished.
    expect(answer(page)).to_have_attribute("data-status", "streaming")
    expect(answer(page).locator(".body")).to_have_text("Here it ")
    expect_image_shown(answer(page).locator(".generated img"))
    expect(answer(page).locator(".generated img")).to_have_attribute(
        "alt", "Generated image 1, 64×48"
    )

    live_upstream.release.set()
    expect(answer(page)).to_have_attribute("data-status", "complete")
    expect(answer(page).locator(".generated img")).to_have_count(1)

    page.reload()
    expect(answer(page).locator(".body")).to_have_text("Here it is.")
    expect_image_shown(answer(page).locator(".generated img"))


def big_png(name="big.png"):
    # Larger than 512×512, so "auto" means high detail: 85 + 170 × 4 tiles for gpt-4o.
    return png_file(name, size=(1024, 768))


def test_it_shows_a_token_estimate_that_follows_the_images_detail(page):
    attach(page, big_png())
    estimate = page.locator(".attachment .estimate")
    expect(estimate).to_have_text("≈ 765 input tokens")

    page.get_by_label("Detail for big.png").select_option("low")

    expect(estimate).to_have_text("≈ 85 input tokens")


def test_it_follows_the_messages_detail_for_images_left_at_the_default(page):
    attach(page, big_png("default.png"))
    attach(page, big_png("chosen.png"))
    page.get_by_label("Detail for chosen.png").select_option("high")

    page.locator("#detail").select_option("low")

    estimates = page.locator(".attachment .estimate")
    expect(estimates).to_have_text(["≈ 85 input tokens", "≈ 765 input tokens"])
    expect(page.get_by_label("Detail for default.png")).to_have_value("low")


def test_it_shows_the_gemini_estimate_when_the_model_changes(page):
    attach(page, big_png())

    page.locator("#model").select_option("gemini-2.5-pro")

    # Google's rule: 1024×768 is two 768-px tiles of 258 tokens.
    expect(page.locator(".attachment .estimate")).to_have_text("≈ 516 input tokens")


def test_it_notes_that_the_model_sees_the_first_frame_of_a_gif(page):
    attach(page, {"name": "blink.gif", "mimeType": "image/gif", "buffer": animated_gif()})

    expect(page.locator(".attachment .note")).to_have_text("GIF: the model sees the first frame")


def test_it_previews_a_heic_photo_and_sends_it_as_jpeg(page, live_upstream):
    heic = {"name": "phone.heic", "mimeType": "image/heic", "buffer": heic_photo((400, 300))}
    attach(page, heic)

    tile = page.locator(".attachment")
    expect(tile).to_contain_text("HEIC → JPEG 400×300")
    # Chromium cannot draw HEIC itself: the preview must be the server's thumbnail.
    expect_image_shown(tile.locator("img"))

    send(page, "What is this?")
    expect(answer(page)).to_have_attribute("data-status", "complete")
    expect_image_shown(page.locator(".message.user .images img"))
    image = live_upstream.requests[0].body["messages"][-1]["content"][0]
    assert image["image_url"]["url"].startswith("data:image/jpeg;base64,")


def add_image_url(page, url):
    # While the URL row is hidden, the attach row's button is the only one of that name.
    page.get_by_role("button", name="Add image URL").click()
    page.get_by_role("textbox", name="Image URL").fill(url)
    page.get_by_role("textbox", name="Image URL").press("Enter")


def test_it_shows_why_an_image_url_was_refused(page):
    add_image_url(page, "https://169.254.169.254/latest/meta-data/x.png")

    expect(page.locator(".attachment.failed")).to_contain_text(
        "“169.254.169.254” points to a private or reserved address (169.254.169.254); "
        "only public addresses can be fetched."
    )
    expect(page.locator(".attachment.ready")).to_have_count(0)
    # Nothing was fetched, so there is no preview: an empty frame, not a broken
    # image with the URL as its text.
    expect(page.locator(".attachment img")).to_have_attribute("alt", "")


def test_it_refuses_a_plain_http_image_url_before_asking_the_server(page):
    add_image_url(page, "http://127.0.0.1/x.png")

    expect(page.locator("#notice")).to_have_text("Only https:// image URLs can be added.")
    expect(page.locator(".attachment")).to_have_count(0)


def test_it_adds_an_image_from_a_url(page, live_upstream, image_server):
    # New conversations start with the model picked last (an earlier test may pick another).
    page.locator("#model").select_option("gpt-4o")
    url = f"https://127.0.0.1:{image_server.port}/cat.png"
    add_image_url(page, url)

    tile = page.locator(".attachment")
    expect(tile).to_have_class("attachment ready")
    expect(tile).to_contain_text("PNG 50×40")
    expect_image_shown(tile.locator("img"))

    send(page, "And this one?")
    expect(answer(page)).to_have_attribute("data-status", "complete")
    # gpt-4o is sent the URL itself in the turn it was added.
    image = live_upstream.requests[0].body["messages"][-1]["content"][0]
    assert image["image_url"]["url"] == url


def choose_image_history(page, label):
    with page.expect_response(lambda r: r.url.endswith("/image-history/")) as response:
        page.locator("#image-history").select_option(label=label)
    assert response.value.ok


def test_it_keeps_the_image_history_setting(page):
    choose_image_history(page, "last 3 turns")

    page.reload()

    expect(page.locator("#image-history")).to_have_value("3")


def test_it_sends_a_placeholder_for_an_image_outside_the_image_history(page, live_upstream):
    choose_image_history(page, "last turn")
    attach(page, png_file("first.png", size=(64, 48)))
    send(page, "One")
    expect(answer(page)).to_have_attribute("data-status", "complete")
    expect(answer(page).locator(".left-out")).to_have_count(0)

    attach(page, png_file("second.png", size=(30, 20)))
    live_upstream.queue(Reply(tokens=["Still ", "going."], hold_after=1))
    send(page, "Two")
    # Said while the answer streams, before it is done.
    expect(answer(page)).to_have_attribute("data-status", "streaming")
    expect(answer(page).locator(".left-out")).to_have_text(LEFT_OUT)
    live_upstream.release.set()
    expect(page.locator(".message.assistant.complete")).to_have_count(2)

    first_turn = live_upstream.requests[1].body["messages"][1]["content"]
    assert first_turn == [
        {"type": "text", "text": "[image 1 of turn 1: first.png, 64×48, not resent]"},
        {"type": "text", "text": "One"},
    ]
    # The note stands above the answer it explains.
    expect(answer(page).locator(":scope > *").first).to_have_text(LEFT_OUT)
