"""More of the image studio in Chromium: a finger draws in the markup editor,
the marked copy of a large photo is at most 2048 px, Copy puts a generated
image on the clipboard, and "Your images" loads the next 60 as one scrolls."""

import base64
import io

from PIL import Image

from chat.testing.upstream import Reply
from tests.browser.test_studio import data_uri, decoded, image_parts, pick_image_model
from tests.support.browser import answer, expect, log_in, new_conversation, png_file, send
from tests.support.images import image_bytes

BLUE = (30, 60, 220)


def touch_drag(page, canvas, points):
    """A finger on the canvas through the points (fractions of its box), as a
    touch screen sends it: Chromium turns the touches into pointer events of
    pointerType "touch"."""
    box = canvas.bounding_box()
    at = [{"x": box["x"] + box["width"] * x, "y": box["y"] + box["height"] * y} for x, y in points]
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [at[0]]})
    for point in at[1:]:
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    cdp.detach()


def test_a_finger_draws_a_freehand_line_in_the_markup_editor(browser, daphne_server, live_upstream):
    context = log_in(browser, daphne_server, has_touch=True)
    page = new_conversation(context)
    pointer_types = []
    page.expose_function("notePointer", lambda kind: pointer_types.append(kind))
    page.locator("#file-input").set_input_files(png_file("wall.png", size=(400, 300), color=BLUE))
    expect(page.locator(".attachment.ready")).to_have_count(1)
    page.get_by_role("button", name="Mark up wall.png").click()
    editor = page.get_by_role("dialog", name="Mark up wall.png")
    canvas = editor.locator("canvas")
    page.wait_for_function("() => document.querySelector('.markup-canvas').width === 400")
    canvas.evaluate(
        "c => c.addEventListener('pointermove', e => window.notePointer(e.pointerType))"
    )
    editor.get_by_label("Freehand").check()
    touch_drag(page, canvas, [(0.1, 0.5), (0.3, 0.5), (0.5, 0.5), (0.7, 0.5), (0.9, 0.5)])
    expect(editor.get_by_role("button", name="Undo")).to_be_enabled()
    with page.expect_response("**/markup/"):
        editor.get_by_role("button", name="Done").click()

    live_upstream.queue(Reply(tokens=["A line."]))
    send(page, "What is marked?")
    expect(answer(page).locator(".body")).to_have_text("A line.")
    assert set(pointer_types) == {"touch"}
    message = live_upstream.requests[-1].body["messages"][-1]
    picture = decoded(image_parts(message)[0])
    assert picture.getpixel((200, 150)) != BLUE  # on the finger's line
    assert picture.getpixel((200, 30)) == BLUE
    notes = [p["text"] for p in message["content"] if p["type"] == "text"]
    assert notes[0].startswith("The red marks on image 1 (a freehand line) were drawn")
    context.close()


def test_the_marked_copy_of_a_large_photo_is_at_most_2048_px(page, live_upstream):
    page.locator("#file-input").set_input_files(png_file("wide.png", size=(3000, 1600)))
    expect(page.locator(".attachment.ready")).to_have_count(1)
    page.get_by_role("button", name="Mark up wide.png").click()
    editor = page.get_by_role("dialog", name="Mark up wide.png")
    # drawn on the display copy: 2048 px wide, not the original's 3000
    page.wait_for_function("() => document.querySelector('.markup-canvas').width === 2048")
    editor.get_by_label("Rectangle").check()
    box = editor.locator("canvas").bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 20)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 80, steps=4)
    page.mouse.up()

    with page.expect_response("**/markup/") as stored:
        editor.get_by_role("button", name="Done").click()

    marked = stored.value.json()
    assert (marked["width"], marked["height"]) == (2048, 1092)


def test_copy_puts_a_generated_image_on_the_clipboard(page, live_upstream, daphne_server):
    drawn = image_bytes("PNG", size=(320, 180), color=(200, 120, 30))
    live_upstream.queue(Reply(tokens=["Orange."], images=[data_uri(drawn)]))
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=daphne_server.url)
    try:
        pick_image_model(page)
        send(page, "An orange square")
        expect(answer(page).locator(".generated img")).to_have_count(1)

        copy = answer(page).get_by_role("button", name="Copy generated image 1")
        copy.click()
        expect(copy).to_have_text("Copied")
        pasted = page.evaluate(
            """async () => {
              const [item] = await navigator.clipboard.read();
              const blob = await item.getType("image/png");
              const bytes = new Uint8Array(await blob.arrayBuffer());
              let text = "";
              for (const byte of bytes) text += String.fromCharCode(byte);
              return btoa(text);
            }"""
        )
    finally:
        page.context.clear_permissions()
    picture = Image.open(io.BytesIO(base64.b64decode(pasted))).convert("RGB")
    assert picture.size == (320, 180)
    assert picture.getpixel((160, 90)) == (200, 120, 30)


MANY_IMAGES = """
from django.contrib.auth.models import User
from chat.models import Conversation, ImageAttachment
alice = User.objects.get(username="alice")
sent = ImageAttachment.objects.filter(owner=alice, message__isnull=False).first()
conversation = Conversation.objects.create(owner=alice, model="gpt-4o", title="Many pictures")
for n in range(70):
    message = conversation.append(role="user", text=f"Picture {n}")
    copy = sent.copy()
    copy.message, copy.name, copy.position = message, f"many-{n:02}.png", 0
    copy.save()
"""


def test_your_images_shows_the_next_sixty_as_one_scrolls(page, live_site, live_upstream):
    page.locator("#file-input").set_input_files(png_file("first.png", size=(64, 48)))
    expect(page.locator(".attachment.ready")).to_have_count(1)
    send(page, "One picture")
    expect(answer(page)).to_have_attribute("data-status", "complete")
    live_site.manage("shell", "--no-imports", "-c", MANY_IMAGES)

    page.goto("/images/")
    tiles = page.locator(".gallery-item")
    expect(tiles).to_have_count(60)
    many = page.locator(".gallery-item img[alt^='many-']")
    expect(many).to_have_count(60)  # the newest 60: all of these
    page.locator(".gallery-item").last.scroll_into_view_if_needed()
    page.mouse.wheel(0, 10000)

    expect(many).to_have_count(70)
    names = [alt.split(",")[0] for alt in many.evaluate_all("imgs => imgs.map(i => i.alt)")]
    assert names == [f"many-{n:02}.png" for n in reversed(range(70))]  # newest first, once each
    expect(page.locator(".gallery-item img[alt^='first.png']")).to_have_count(1)
    assert page.url.endswith("/images/")  # no reload: fetched as the page was scrolled
