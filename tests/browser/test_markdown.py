"""How answers read in Chromium: markdown, code, math and links while they stream
and once stored, model output kept harmless, and the view left where the reader is."""

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, send

CODE = "```python\ndef greet(name):\n    return 'hi ' + name\n```\n"


def test_it_renders_a_bold_word_before_the_answer_ends(page, live_upstream):
    live_upstream.queue(Reply(tokens=["Here is ", "**bold**", " text", " and more"], hold_after=3))
    send(page, "Say something bold")

    body = answer(page).locator(".body")
    expect(body.locator("strong")).to_have_text("bold")
    expect(answer(page)).to_have_attribute("data-status", "streaming")
    expect(body).not_to_contain_text("**")

    live_upstream.release.set()
    expect(answer(page)).to_have_attribute("data-status", "complete")
    expect(body.locator("strong")).to_have_text("bold")


def test_it_highlights_code_names_its_language_and_copies_it(page, live_upstream, alice_context):
    alice_context.grant_permissions(["clipboard-read", "clipboard-write"])
    live_upstream.queue(Reply(tokens=["Try this:\n\n", CODE]))
    send(page, "Show me code")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    block = answer(page).locator(".code-block")
    expect(block.locator(".code-head")).to_contain_text("python")
    expect(block.locator("code .hljs-keyword").first).to_have_text("def")
    block.get_by_role("button", name="Copy code").click()

    expect(block.get_by_role("button", name="Copy code")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == (
        "def greet(name):\n    return 'hi ' + name\n"
    )


def test_it_draws_math_while_streaming_and_after(page, live_upstream):
    live_upstream.queue(
        Reply(
            tokens=[
                "Euler: $e^{i\\pi} + 1 = 0$ and \\(a_1 * b_2\\).\n\n",
                "$$\\int_0^1 x\\,dx$$\n",
                "end",
            ],
            hold_after=2,
        )
    )
    send(page, "Some math")

    body = answer(page).locator(".body")
    expect(body.locator("math")).to_have_count(3)
    expect(body.locator("math[display=block]")).to_have_count(1)
    expect(body.locator("em")).to_have_count(0)  # the * stayed inside the formula

    live_upstream.release.set()
    expect(answer(page)).to_have_attribute("data-status", "complete")
    expect(body.locator("math")).to_have_count(3)
    expect(body).not_to_contain_text("$")
    # MathML needs no inline styles (a strict CSP forbids them).
    expect(body.locator("[style]")).to_have_count(0)


DANGEROUS = [
    "<script>window.pwned='script'</script> ",
    "<img src=x onerror=\"window.pwned='img'\"> ",
    "<svg><script>window.pwned='svg'</script></svg> ",
    "[click me](javascript:window.pwned='link') ",
    "<a href=\"javascript:window.pwned='a'\">raw</a> ",
    "see https://example.com/page ",
    "end",
]


def expect_harmless(page, body):
    expect(body).to_contain_text("<script>window.pwned='script'</script>")
    expect(body.locator("script, img, svg, iframe, [onerror]")).to_have_count(0)
    for href in body.locator("a").evaluate_all("links => links.map((a) => a.href)"):
        assert href.startswith("https://"), href
    link = body.get_by_role("link", name="https://example.com/page")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow")
    assert page.evaluate("window.pwned") is None


def test_it_keeps_dangerous_model_output_harmless_while_streaming_and_after(page, live_upstream):
    live_upstream.queue(Reply(tokens=DANGEROUS, hold_after=len(DANGEROUS) - 1))
    send(page, "Say something dangerous")

    body = answer(page).locator(".body")
    expect(body).to_contain_text("see https://example.com/page")
    expect(answer(page)).to_have_attribute("data-status", "streaming")
    expect_harmless(page, body)

    live_upstream.release.set()
    expect(answer(page)).to_have_attribute("data-status", "complete")
    expect_harmless(page, body)


def test_it_stays_where_the_reader_scrolled_and_offers_a_jump_to_the_latest(page, live_upstream):
    lines = [f"Line {n} of a long answer.\n\n" for n in range(60)]
    live_upstream.queue(Reply(tokens=lines + ["More.\n\n", "The end."], hold_after=60))
    send(page, "A long answer please")
    expect(answer(page).locator(".body")).to_contain_text("Line 59")
    transcript = page.locator("#transcript")
    jump = page.get_by_role("button", name="Jump to latest")
    expect(jump).to_be_hidden()
    at_bottom = "t => t.scrollHeight - t.scrollTop - t.clientHeight < 40"
    assert transcript.evaluate(at_bottom)

    transcript.evaluate("t => { t.scrollTop = 100; }")
    expect(jump).to_be_visible()
    live_upstream.release.set()
    expect(answer(page)).to_have_attribute("data-status", "complete")

    assert transcript.evaluate("t => t.scrollTop") == 100
    jump.click()
    expect(jump).to_be_hidden()
    assert transcript.evaluate(at_bottom)


def test_it_keeps_a_reader_who_never_scrolled_at_the_latest_message(page, live_upstream):
    # Highlighting, math and an answer's actions lay out after its last word,
    # and the page grows after each turn: the view must stay at the end.
    rich = ["The total is **6.00**.\n\n", CODE, "And $3.20 + 2.80 = 6.00$.\n\n"] * 3
    live_upstream.queue(
        Reply(tokens=rich),
        Reply(status=401, body='{"error": {"message": "Invalid key", "type": "auth_error"}}'),
    )
    send(page, "What is the total?")
    expect(answer(page)).to_have_attribute("data-status", "complete")
    send(page, "And with a tip?")
    expect(answer(page)).to_have_attribute("data-status", "error")

    transcript = page.locator("#transcript")
    at_bottom = "t => t.scrollHeight - t.scrollTop - t.clientHeight < 40"
    expect(page.get_by_role("button", name="Retry")).to_be_visible()
    page.wait_for_timeout(500)  # late layout has nothing to wait on
    expect(page.get_by_role("button", name="Jump to latest")).to_be_hidden()
    assert transcript.evaluate(at_bottom)
