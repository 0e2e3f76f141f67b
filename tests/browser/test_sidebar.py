"""The sidebar in Chromium: rename in place, delete with a confirmation,
search on the server, paging as the person scrolls, order kept live."""

import re

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, new_conversation, send


def start(context, live_upstream, text):
    """A conversation of alice's with one finished turn, in its own tab."""
    page = new_conversation(context)
    live_upstream.queue(Reply(tokens=["Noted."]))
    send(page, text)
    expect(answer(page).locator(".body")).to_have_text("Noted.")
    return page


def item(page, title):
    return page.locator(".conversation-item", has_text=title)


def test_it_renames_a_conversation_in_place(alice_context, live_upstream):
    page = start(alice_context, live_upstream, "Birds on the wire")
    entry = item(page, "Birds on the wire")
    entry.hover()
    entry.get_by_role("button", name="Rename Birds on the wire").click()
    page.get_by_label("New title").fill("Starlings")
    page.get_by_label("New title").press("Enter")

    expect(item(page, "Starlings")).to_be_visible()
    expect(page.locator("#conversation-title")).to_have_text("Starlings")
    page.reload()
    expect(item(page, "Starlings").get_by_role("link")).to_have_attribute("aria-current", "page")
    page.close()


def test_it_deletes_a_conversation_after_a_confirmation(alice_context, live_upstream):
    kept = start(alice_context, live_upstream, "Keep this one")
    page = start(alice_context, live_upstream, "Delete this one")
    url = page.url
    entry = item(page, "Delete this one")

    entry.hover()
    entry.get_by_role("button", name="Delete Delete this one").click()
    page.get_by_role("button", name="Cancel").click()
    expect(entry).to_be_visible()
    entry.hover()
    entry.get_by_role("button", name="Delete Delete this one").click()
    page.locator("#delete-dialog").get_by_role("button", name="Delete").click()

    expect(page).not_to_have_url(url)
    expect(item(page, "Delete this one")).to_have_count(0)
    expect(item(kept, "Delete this one")).to_have_count(0)  # the other tab's list too
    assert page.request.get(url).status == 404
    kept.close()
    page.close()


def test_it_searches_titles_and_message_text_on_the_server(alice_context, live_upstream):
    page = start(alice_context, live_upstream, "Receipt from the bakery")
    other = start(alice_context, live_upstream, "Holiday photos")
    live_upstream.queue(Reply(tokens=["Seen."]))
    send(other, "Is there a lighthouse in this one?")
    expect(answer(other).locator(".body")).to_have_text("Seen.", timeout=15_000)

    page.get_by_label("Search conversations").fill("lighthouse")
    expect(page.locator(".conversation-item")).to_have_count(1)
    expect(item(page, "Holiday photos")).to_be_visible()

    page.get_by_label("Search conversations").fill("nothing like this")
    expect(page.locator(".conversation-item")).to_have_count(0)
    expect(page.locator(".no-conversations")).to_have_text("Nothing found.")
    page.get_by_label("Search conversations").fill("")
    expect(item(page, "Receipt from the bakery")).to_be_visible()
    other.close()
    page.close()


def test_it_moves_an_active_conversation_to_the_top_in_every_tab(alice_context, live_upstream):
    older = start(alice_context, live_upstream, "Older talk")
    newer = start(alice_context, live_upstream, "Newer talk")
    expect(older.locator(".conversation-item").first).to_contain_text("Newer talk")

    live_upstream.queue(Reply(tokens=["Again."]))
    send(older, "Back to this")

    expect(newer.locator(".conversation-item").first).to_contain_text("Older talk")
    expect(newer.locator("section[data-group='Today'] h2")).to_have_text("Today")
    older.close()
    newer.close()


def test_every_tab_follows_conversations_started_close_together(alice_context, live_upstream):
    # Starts within half a second of the first reach the sidebars together, in
    # one "conversations" event (chat/live/announcements.py).
    first = start(alice_context, live_upstream, "Alpha talk")
    second = start(alice_context, live_upstream, "Beta talk")
    watcher = start(alice_context, live_upstream, "Gamma talk")
    expect(watcher.locator(".conversation-item").first).to_contain_text("Gamma talk")

    live_upstream.queue(Reply(tokens=["Again."]), Reply(tokens=["Again."]))
    send(first, "Back to alpha")
    send(second, "Back to beta")

    items = watcher.locator(".conversation-item")
    expect(items.nth(0)).to_contain_text("Beta talk")
    expect(items.nth(1)).to_contain_text("Alpha talk")
    expect(items.nth(2)).to_contain_text("Gamma talk")
    for page in (first, second, watcher):
        page.close()


def test_it_loads_more_conversations_as_the_person_scrolls(alice_context, live_site):
    # More than a page of conversations, made directly in the site's database.
    live_site.manage(
        "shell", "-c",
        "from chat.models import Conversation; from django.contrib.auth.models import User\n"
        "alice = User.objects.get(username='alice')\n"
        "for n in range(45):\n"
        "    c = Conversation.objects.create(owner=alice, title=f'Bulk {n:02}')\n"
        "    c.append(role='user', text='hi')",
    )  # fmt: skip
    page = alice_context.new_page()
    page.goto("/")
    expect(page.locator("#connection")).to_have_text("Connected")
    items = page.locator(".conversation-item")
    expect(items.first).to_be_visible()
    first_page = items.count()

    page.locator(".conversation-list").evaluate("list => list.scrollTo(0, list.scrollHeight)")
    expect(item(page, "Bulk 00")).to_be_visible()
    assert first_page < items.count()
    assert re.match(r"Bulk \d\d", items.first.inner_text())
    page.close()
