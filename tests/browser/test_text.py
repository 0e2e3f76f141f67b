"""Hostile text on the conversation page in Chromium: what users type is shown
as they typed it, what models write cannot run, and neither breaks the layout
(nothing wider than the window)."""

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, send

# What is wider than the window, or scrolls sideways: nothing should be.
TOO_WIDE = """() => {
  const wide = [...document.querySelectorAll("body *")]
    .filter((el) => el.scrollWidth > el.clientWidth + 1)
    .filter((el) => getComputedStyle(el).overflowX !== "hidden")
    .map((el) => el.tagName + "." + el.className);
  if (document.documentElement.scrollWidth > window.innerWidth) wide.push("the page");
  return wide;
}"""


def test_it_shows_typed_text_as_typed_without_breaking_the_layout(page, live_upstream):
    text = "price \u202e0001\u202c euros in\u200bvis\u200dible " + "a" * 3000 + " \U0001f600 end"
    live_upstream.queue(Reply(tokens=["Noted."]))

    send(page, text)

    expect(answer(page)).to_have_attribute("data-status", "complete")
    user = page.locator(".message.user .body").last
    assert user.evaluate("el => el.textContent") == text
    assert page.evaluate(TOO_WIDE) == []


def test_it_shows_hostile_model_output_harmlessly(page, live_upstream):
    live_upstream.queue(
        Reply(
            tokens=[
                "<script>window.pwned = 1</script> <img src=x onerror='window.pwned = 2'> ",
                "[click](javascript:window.pwned=3) <svg onload='window.pwned = 4'></svg>\n\n",
                "- " * 2000 + "deep\n\n",
                "w" * 200_000,
            ]
        )
    )

    send(page, "Say something nasty")

    expect(answer(page)).to_have_attribute("data-status", "complete")
    body = answer(page).locator(".body")
    expect(body).to_contain_text("<script>window.pwned = 1</script>")
    assert body.locator("script, img, svg, [onerror], [onload]").count() == 0
    assert body.locator("a[href^='javascript']").count() == 0
    assert page.evaluate("window.pwned") is None
    assert page.evaluate(TOO_WIDE) == []
