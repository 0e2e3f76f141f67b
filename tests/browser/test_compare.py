"""Comparing models in Chromium: two columns streaming side by side, a pick and
the follow-up after it, blind mode, tabs on a phone, axe in both themes."""

from pathlib import Path

import pytest

from chat.testing.upstream import Reply
from tests.support.browser import expect, png_file, scrolls_sideways, send, shoot

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core-4.14.1" / "axe.min.js"
TWO = ["gpt-4o", "gemini-2.5-pro"]


@pytest.fixture(scope="module")
def live_site_environment():
    return {"MODEL_PRICES": "gpt-4o=2.5/10,gemini-2.5-pro=1.25/10"}


@pytest.fixture
def named_replies(live_upstream):
    """Each model answers with its name, held after two tokens until released."""
    live_upstream.reply_for = lambda body: Reply(
        tokens=[body["model"], " reads", " 6.00."], hold_after=2
    )
    yield live_upstream
    live_upstream.reply_for = None


def tick(page, *models, blind=False):
    page.locator("#compare-picker summary").click()
    for model in models:
        page.locator(f"input[name=compare-model][value='{model}']").check()
    page.locator("#compare-blind").set_checked(blind)


def untick(page):
    for box in page.locator("input[name=compare-model]").all():
        box.uncheck()


def column(page, index):
    return page.locator(".comparison .column").nth(index)


def test_both_columns_stream_at_once_and_the_follow_up_comes_after_the_pick(page, named_replies):
    page.locator("#file-input").set_input_files([png_file("photo.png", size=(320, 240))])
    expect(page.locator(".attachment.ready")).to_have_count(1)
    tick(page, *TWO)
    expect(page.locator("#send")).to_have_text("Compare")
    send(page, "What is the total?")

    # Both columns grow while the gateway holds both answers: neither has finished.
    expect(column(page, 0).locator(".body")).to_have_text("gpt-4o reads")
    expect(column(page, 1).locator(".body")).to_have_text("gemini-2.5-pro reads")
    expect(page.locator(".comparison")).to_have_attribute("data-status", "streaming")
    expect(column(page, 0).get_by_role("button", name="This one")).to_be_disabled()
    expect(page.locator(".compare-note")).to_have_text(
        "Not picked yet: your next message continues from gpt-4o’s answer (the first column)."
    )
    named_replies.release.set()
    expect(column(page, 1).locator(".body")).to_have_text("gemini-2.5-pro reads 6.00.")
    expect(column(page, 0).locator(".column-label")).to_have_text("gpt-4o")
    # Tokens in and out, both times and the cost at the configured prices.
    expect(column(page, 1).locator(".column-stats")).to_contain_text("42 in · 6 out · first token")
    expect(column(page, 1).locator(".column-stats")).to_contain_text("$0.00011")
    shoot(page, "compare-columns.png")

    column(page, 1).get_by_role("button", name="This one").click()
    expect(page.locator(".comparison")).to_have_count(0)
    picked = page.locator(".message.assistant").last
    expect(picked.locator(".body")).to_have_text("gemini-2.5-pro reads 6.00.")
    expect(picked.locator(".pick-note")).to_have_text("You picked gemini-2.5-pro over gpt-4o.")

    untick(page)
    expect(page.locator("#send")).to_have_text("Send")
    named_replies.release.set()
    send(page, "And the date?")
    expect(page.locator(".message.assistant").last.locator(".body")).to_have_text(
        "gpt-4o reads 6.00."
    )
    bodies = page.locator("#transcript > li .body")
    expect(bodies).to_have_text(
        ["What is the total?", "gemini-2.5-pro reads 6.00.", "And the date?", "gpt-4o reads 6.00."]
    )
    follow_up = named_replies.requests[-1].body["messages"]
    assert follow_up[2] == {"role": "assistant", "content": "gemini-2.5-pro reads 6.00."}


def test_blind_mode_hides_the_names_until_the_pick(page, named_replies):
    named_replies.release.set()
    tick(page, *TWO, blind=True)
    send(page, "Which is it?")
    comparison = page.locator(".comparison")
    expect(comparison.locator(".column-label")).to_have_text(["Model A", "Model B"])
    expect(comparison.get_by_role("button", name="This one")).to_have_count(2)
    expect(column(page, 1).get_by_role("button", name="This one")).to_be_enabled()
    # Only the answers' text (each names its model) may say who wrote it.
    for index in range(2):
        outside = column(page, index).evaluate(
            "c => [...c.querySelectorAll(':scope > :not([data-role=message])')]"
            ".map(e => e.textContent).join(' ')"
        )
        assert "gpt-4o" not in outside and "gemini" not in outside
    first = column(page, 0).locator(".body").text_content().split(" ")[0]
    column(page, 0).get_by_role("button", name="This one").click()
    other = next(model for model in TWO if model != first)
    expect(page.locator(".pick-note").last).to_have_text(
        f"You picked {first} over {other} (blind)."
    )
    # The switch is remembered for this person.
    page.reload()
    expect(page.locator("#compare-blind")).to_be_checked()


def test_at_phone_width_the_columns_are_tabs_with_no_sideways_scroll(page, named_replies):
    page.set_viewport_size({"width": 360, "height": 740})
    tick(page, *TWO)
    send(page, "Read it")
    named_replies.release.set()
    expect(column(page, 0).locator(".body")).to_have_text("gpt-4o reads 6.00.")
    tabs = page.get_by_role("tab")
    expect(tabs).to_have_text(TWO)
    expect(column(page, 0)).to_be_visible()
    expect(column(page, 1)).to_be_hidden()
    assert not scrolls_sideways(page)
    tabs.nth(1).click()
    expect(column(page, 1)).to_be_visible()
    expect(column(page, 0)).to_be_hidden()
    expect(tabs.nth(1)).to_have_attribute("aria-selected", "true")
    shoot(page, "compare-phone.png")
    assert not scrolls_sideways(page)
    untick(page)


def test_a_comparison_passes_axe_in_both_themes(browser, daphne_server, named_replies):
    from tests.browser.test_accessibility import serious_violations
    from tests.support.browser import log_in, new_conversation

    context = log_in(browser, daphne_server)
    context.add_init_script(path=AXE)
    page = new_conversation(context)
    tick(page, *TWO)
    send(page, "Compare")
    expect(column(page, 1).locator(".body")).to_have_text("gemini-2.5-pro reads")
    for theme in ("light", "dark"):
        page.emulate_media(color_scheme=theme)
        assert serious_violations(page) == [], f"streaming, {theme}"
    named_replies.release.set()
    expect(page.locator(".comparison")).to_have_attribute("data-status", "complete")
    for theme in ("light", "dark"):
        page.emulate_media(color_scheme=theme)
        assert serious_violations(page) == [], f"finished, {theme}"
    page.set_viewport_size({"width": 360, "height": 740})
    assert serious_violations(page) == [], "phone"
    context.close()


def test_a_pick_can_be_changed_and_the_path_follows_it(page, named_replies):
    named_replies.release.set()
    tick(page, *TWO)
    send(page, "Which total?")
    expect(column(page, 1).get_by_role("button", name="This one")).to_be_enabled()
    column(page, 1).get_by_role("button", name="This one").click()
    expect(page.locator(".pick-note").last).to_have_text("You picked gemini-2.5-pro over gpt-4o.")

    page.locator(".change-pick summary").last.click()
    choices = page.get_by_role("group", name="Pick instead").last
    expect(choices.get_by_role("button")).to_have_text(["gpt-4o", "Tie", "Both bad"])
    choices.get_by_role("button", name="gpt-4o").click()

    expect(page.locator(".pick-note").last).to_have_text("You picked gpt-4o over gemini-2.5-pro.")
    expect(page.locator(".message.assistant").last.locator(".body")).to_have_text(
        "gpt-4o reads 6.00."
    )
    page.locator(".change-pick summary").last.click()
    page.get_by_role("group", name="Pick instead").last.get_by_role("button", name="Tie").click()
    expect(page.locator(".pick-note").last).to_have_text("A tie between gpt-4o and gemini-2.5-pro.")
    page.reload()
    expect(page.locator(".pick-note").last).to_have_text("A tie between gpt-4o and gemini-2.5-pro.")
    # The sidebar says what the conversation's comparison was.
    expect(
        page.locator(".conversation-item a[aria-current=page] .conversation-compared")
    ).to_have_text("Compared gemini-2.5-pro · gpt-4o: a tie")
