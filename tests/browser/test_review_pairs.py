"""A comparison judged blind in Chromium: alice compares two models blind on a
photo and picks; the pick puts the pair in the reviewers' queue; rita takes it
with "Judge next pair", sees the two answers with no model name in the page,
picks the better one with a reason, sees who was who and that she agrees with
alice, and finds the agreement on the summary; axe finds nothing serious on the
pair page before and after the judgement, in both themes."""

import pytest

from chat.testing.upstream import Reply
from tests.browser.test_accessibility import AXE, serious_violations
from tests.browser.test_compare import column, tick
from tests.browser.test_review import admin_login
from tests.support.browser import expect, expect_image_shown, png_file, send
from tests.support.live import PASSWORD

TWO = ("gpt-4o", "gemini-2.5-pro")
TOTALS = {"gpt-4o": "The total is 12.00.", "gemini-2.5-pro": "The total is 13.00."}


def serious_in(page, selector):
    """axe's serious and critical findings within `selector` (the admin's own
    navigation is Django's, not this page's)."""
    results = page.evaluate(
        "selector => axe.run(selector, { resultTypes: ['violations'] })", selector
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.fixture(scope="module")
def live_site_environment():
    return {"REVIEW_PAIR_SAMPLE_PERCENT": "100"}


@pytest.fixture(scope="module")
def reviewer(live_site):
    live_site.manage(
        "shell", "-c",
        "import os; from django.contrib.auth.models import Group, User; "
        "User.objects.create_user('rita', password=os.environ['PASSWORD'], is_staff=True)"
        ".groups.add(Group.objects.get(name='Reviewers'))",
        PASSWORD=PASSWORD,
    )  # fmt: skip
    return "rita"


@pytest.fixture
def unnamed_replies(live_upstream):
    """Each model answers with its own total, never its name."""
    live_upstream.reply_for = lambda body: Reply(tokens=[TOTALS[body["model"]]])
    live_upstream.release.set()
    yield live_upstream
    live_upstream.reply_for = None


def test_a_reviewer_judges_a_blind_pick_from_the_queue_and_the_summary_agrees(
    page, unnamed_replies, browser, daphne_server, reviewer
):
    page.locator("#file-input").set_input_files([png_file("receipt.png", size=(320, 240))])
    expect(page.locator(".attachment.ready")).to_have_count(1)
    tick(page, *TWO, blind=True)
    send(page, "What is the total?")
    expect(page.locator(".comparison .column .body")).to_have_count(2)
    for index in range(2):
        expect(column(page, index).get_by_role("button", name="This one")).to_be_enabled()
    thirteen = next(i for i in range(2) if "13.00" in column(page, i).locator(".body").inner_text())
    column(page, thirteen).get_by_role("button", name="This one").click()
    expect(page.locator(".pick-note").last).to_contain_text("You picked gemini-2.5-pro")

    context, admin = admin_login(browser, daphne_server, reviewer)
    context.add_init_script(path=AXE)
    admin.goto("/admin/chat/conversation/summary/")
    admin.get_by_role("link", name="Judge next pair").click()
    expect(admin.get_by_role("heading", name="Which answer is better?")).to_be_visible()
    expect(admin.locator(".review-pair-prompt")).to_contain_text("What is the total?")
    expect_image_shown(admin.locator(".review-pair-prompt img"))
    html = admin.content()
    assert "gpt-4o" not in html and "gemini" not in html  # blind until judged
    answers = admin.locator(".review-pair-answer")
    expect(answers).to_have_count(2)
    better = "A" if "13.00" in answers.first.inner_text() else "B"
    assert serious_violations(admin) == []

    admin.get_by_label("Reason").fill("13.00 is on the receipt")
    admin.get_by_role("button", name=f"{better} is better").click()

    expect(admin.locator(".review-pair-mine")).to_contain_text(f"You picked answer {better}.")
    expect(admin.locator(".review-pair-user")).to_contain_text(
        f"The person picked answer {better}. You agree."
    )
    expect(admin.locator(f".review-pair-answer[data-label={better}] h2")).to_contain_text(
        "gemini-2.5-pro"
    )
    assert serious_in(admin, "#content-main") == []
    # Dark, in a page drawn dark from the start (Chromium keeps a link's colour
    # when the scheme is switched under it).
    dark, dark_page = admin_login(browser, daphne_server, reviewer, color_scheme="dark")
    dark.add_init_script(path=AXE)
    dark_page.goto(admin.url)
    expect(dark_page.locator(".review-pair-mine")).to_be_visible()
    assert serious_in(dark_page, "#content-main") == []
    dark.close()
    admin.goto("/admin/chat/conversation/summary/")
    expect(admin.locator(".review-pair-with-users")).to_contain_text(
        "Reviewers agree with the person's own pick in 100.0% of 1 judgement"
    )
    context.close()
