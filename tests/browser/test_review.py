"""The review workstation in Chromium: a reviewer works through a conversation
with images and the queue; staff without the permissions see nothing."""

import re

import pytest

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, expect_image_shown, send, shoot
from tests.support.live import PASSWORD


@pytest.fixture(scope="module")
def review_site(live_site):
    live_site.manage(
        "shell", "-c", "from tests.support.review_site import seed; seed()",
        REVIEWERS="rita,ravi", PASSWORD=PASSWORD,
    )  # fmt: skip
    return live_site


def admin_login(browser, server, username, color_scheme="light"):
    context = browser.new_context(
        base_url=server.url, viewport={"width": 1400, "height": 900}, color_scheme=color_scheme
    )
    page = context.new_page()
    page.goto("/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()
    return context, page


def test_it_takes_a_reviewer_from_the_list_through_a_flag_to_the_next_item(
    browser, review_site, daphne_server
):
    context, page = admin_login(browser, daphne_server, "rita")
    page.locator('#content-main a[href="/admin/chat/conversation/"]').first.click()
    page.locator("#toggle-nav-sidebar").click()  # room for every column (the admin keeps it)
    page.evaluate("window.scrollTo(0, 0)")  # the click scrolled to the toggle
    expect(page.locator("#result_list")).to_contain_text("What is the total on this receipt?")
    expect(page.locator("#result_list")).to_contain_text("▲ 1 ▼ 1")  # the users' thumbs
    expect(page.locator("#result_list .thumbs-down").first).to_be_in_viewport()
    shoot(page, "review-list.png")

    page.get_by_role("link", name="What is the total on this receipt?").click()
    thumbnail = page.locator(".review-images img").first
    expect_image_shown(thumbnail)
    expect(page.locator(".review-image-facts").first).to_contain_text("JPEG · 640×420 px")
    expect(page.locator(".review-text table")).to_be_visible()  # the answer's markdown
    expect(page.locator(".review-user-feedback").first).to_contain_text("thumbs up")
    # The regenerated answer and the edited question, each beside the version before.
    versions = page.locator(".review-versions.several")
    expect(versions).to_have_count(2)
    expect(versions.first.locator(".review-message.on-path")).to_contain_text("42.50")
    expect(versions.first.locator(".review-message.off-path")).to_contain_text("thumbs down")
    expect(versions.last.locator(".review-message.on-path")).to_contain_text("with the year?")
    shoot(page, "review-page.png", full_page=True)  # every version and the branch left behind

    # The original opens in the viewer, through the permission-checked view.
    page.locator("a.review-original").first.click()
    viewer = page.locator("#review-viewer")
    expect(viewer).to_be_visible()
    expect_image_shown(viewer.locator("img"))
    page.keyboard.press("Escape")
    expect(viewer).to_be_hidden()

    page.get_by_label("Add a tag").fill("ocr-error")
    page.get_by_label("Add a tag").press("Enter")
    expect(page.locator(".review-tags")).to_contain_text("ocr-error")
    page.locator("#decision-note").fill("The year is visible in the corner")
    page.locator("#decision-note").blur()
    page.keyboard.press("f")  # the flag shortcut; in the queue it completes and moves on
    expect(page.locator(".review-message").first).to_contain_text("How many birds?")
    expect(page.locator(".review-error")).to_contain_text("The gateway timed out")

    page.goto("/admin/chat/conversation/?state=flagged")
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("What is the total on this receipt?")
    expect(page.locator("#result_list")).to_contain_text("ocr-error")

    page.goto("/admin/review/queueitem/")
    expect(page.locator("#result_list")).to_contain_text("Count the birds on the wire")
    shoot(page, "review-queue.png")
    page.get_by_role("link", name="Review next").first.click()
    expect(page).to_have_url(re.compile(r"/admin/chat/conversation/\d+/review/"))
    expect(page.locator(".review-message").first).to_contain_text("How many birds?")
    context.close()


def test_it_draws_the_summary_readably_in_dark_mode(browser, review_site, daphne_server):
    context, page = admin_login(browser, daphne_server, "rita", color_scheme="dark")
    page.get_by_role("link", name="Summary").click()
    expect(page.locator(".review-chart svg")).to_have_count(7)
    expect(page.locator(".review-agreement")).to_be_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    tick = page.evaluate("getComputedStyle(document.querySelector('.review-chart .tick')).fill")
    assert background != "rgb(255, 255, 255)" and tick != "rgb(0, 0, 0)"
    shoot(page, "review-summary.png")
    context.close()


def test_it_queues_an_answer_its_user_thumbs_down(
    page, live_upstream, browser, review_site, daphne_server
):
    live_upstream.queue(Reply(tokens=["Two ", "cats."]))
    send(page, "How many cats are on the sofa?")
    reply = answer(page)
    expect(reply.locator(".body")).to_have_text("Two cats.")

    reply.get_by_role("button", name="Bad answer").click()
    expect(reply.get_by_role("button", name="Bad answer")).to_have_attribute("aria-pressed", "true")
    reply.get_by_label("Comment on this answer").fill("There are three")
    reply.get_by_role("button", name="Save comment").click()
    expect(reply.locator(".feedback-saved")).to_contain_text("saved")
    page.reload()  # the user's feedback is there again, and can be changed
    reply = answer(page)
    expect(reply.get_by_role("button", name="Bad answer")).to_have_attribute("aria-pressed", "true")
    expect(reply.get_by_label("Comment on this answer")).to_have_value("There are three")

    context, admin = admin_login(browser, daphne_server, "ravi")
    admin.goto("/admin/review/queueitem/?reason__exact=thumbs_down")
    admin.get_by_role("link", name="How many cats are on the sofa?").click()
    feedback = admin.locator(".review-user-feedback").first
    expect(feedback).to_contain_text("▼ thumbs down: “There are three”")
    context.close()


def test_it_shows_staff_without_the_permissions_no_conversation(
    browser, review_site, daphne_server
):
    context, page = admin_login(browser, daphne_server, "stan")
    expect(page.locator("#content-main")).not_to_contain_text("Conversations")
    page.goto("/admin/chat/conversation/")
    expect(page.locator("body")).not_to_contain_text("What is the total on this receipt?")
    context.close()
