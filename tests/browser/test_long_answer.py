"""A very long answer on the conversation page in Chromium, through daphne and
its 1 MiB websocket message limit: it ends complete, stored and shown as HTML,
and a tab opened while it streams catches up."""

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, send

TOKENS = [f"Zürich-{n} " for n in range(50_000)]
TEXT = "".join(TOKENS)


def shown_text(page):
    return answer(page).locator(".body > p").evaluate("p => p.textContent")


def test_it_shows_a_50000_token_answer_whole_in_a_tab_and_one_opened_midway(
    page, live_site, live_upstream
):
    live_upstream.queue(Reply(tokens=TOKENS, hold_after=25_000))
    send(page, "Count for a long time")
    expect(answer(page).locator(".body")).to_contain_text("Zürich-24999", timeout=30_000)

    late = page.context.new_page()
    late.goto(page.url)
    expect(late.locator("#connection")).to_have_text("Connected")
    expect(answer(late).locator(".body")).to_contain_text("Zürich-24999", timeout=30_000)
    live_upstream.release.set()

    for tab in (page, late):
        expect(answer(tab)).to_have_attribute("data-status", "complete", timeout=120_000)
        # The server's rendered HTML, not the streamed text: one paragraph.
        expect(answer(tab).locator(".body > p")).to_have_count(1)
        assert shown_text(tab) == TEXT.strip()
    late.close()
    [(stored,)] = live_site.query(
        "SELECT text FROM chat_message WHERE role = 'assistant' ORDER BY id DESC LIMIT 1"
    )
    assert stored == TEXT
