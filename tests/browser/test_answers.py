"""How an answer ends, on the conversation page in Chromium: cut or filtered,
failed at the gateway, and watched and stopped from a second tab."""

import pytest

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, send


@pytest.fixture(scope="module")
def live_site_environment():
    # Retries as in production, but milliseconds apart.
    return {
        "TOKENGATE_MAX_RETRIES": "2",
        "TOKENGATE_RETRY_BASE_SECONDS": "0.001",
        "TOKENGATE_RETRY_MAX_SECONDS": "0.01",
    }


def server_error():
    return Reply(status=500, body='{"error": {"message": "boom", "type": "server_error"}}')


def test_it_says_when_the_answer_was_cut_at_the_token_limit(page, live_upstream):
    live_upstream.queue(Reply(tokens=["A long ", "story"], finish_reason="length"))
    send(page, "Tell me everything")

    expect(answer(page)).to_have_attribute("data-status", "complete")
    expect(answer(page).locator(".body")).to_have_text("A long story")
    expect(answer(page).locator(".problem")).to_have_text("The answer was cut at the token limit.")


def test_it_says_when_the_gateway_filtered_the_answer(page, live_upstream):
    live_upstream.queue(Reply(tokens=["I can"], finish_reason="content_filter"))
    send(page, "Something awkward")

    expect(answer(page)).to_have_attribute("data-status", "complete")
    expect(answer(page).locator(".problem")).to_have_text("The gateway filtered the answer.")


def test_it_shows_a_refused_api_key_and_lets_the_user_send_again(page, live_upstream):
    live_upstream.queue(
        Reply(status=401, body='{"error": {"message": "Invalid key", "type": "auth_error"}}'),
        Reply(tokens=["Working ", "again."]),
    )
    send(page, "Hello?")

    expect(answer(page)).to_have_attribute("data-status", "error")
    expect(answer(page).locator(".problem")).to_contain_text(
        "The gateway refused the API key (401)."
    )
    expect(page.locator("#send")).to_be_enabled()
    expect(page.locator("#message-text")).to_have_value("")

    send(page, "And now?")

    expect(page.locator(".message.assistant")).to_have_count(2)
    expect(answer(page).locator(".body")).to_have_text("Working again.")
    assert len(live_upstream.requests) == 2  # a 401 is not retried


def test_it_shows_a_server_error_after_the_retries(page, live_upstream):
    live_upstream.queue(server_error(), server_error(), server_error())
    send(page, "Are you there?")

    expect(answer(page)).to_have_attribute("data-status", "error")
    expect(answer(page).locator(".problem")).to_have_text(
        "The gateway had a server error (500); try again in a moment."
    )
    assert len(live_upstream.requests) == 3
    expect(page.locator("#send")).to_be_visible()
    expect(page.locator("#stop")).to_be_hidden()


def test_it_keeps_the_streamed_text_when_the_gateway_fails_midway(page, live_upstream):
    live_upstream.queue(Reply(tokens=["Kept ", "so ", "far", " lost"], error_after=3))
    send(page, "Go on")

    expect(answer(page)).to_have_attribute("data-status", "error")
    expect(answer(page).locator(".body")).to_have_text("Kept so far")
    expect(answer(page).locator(".problem")).to_contain_text(
        "The model is overloaded at the gateway; try again in a moment."
    )
    expect(page.locator("#send")).to_be_visible()


def test_it_catches_up_a_tab_opened_midway_and_stops_from_it(page, live_upstream, alice_context):
    live_upstream.queue(Reply(tokens=["Seen ", "in ", "both", " tabs"], hold_after=2))
    send(page, "Two tabs")
    expect(answer(page).locator(".body")).to_have_text("Seen in ")

    other = alice_context.new_page()
    other.goto(page.url)
    expect(other.locator("#connection")).to_have_text("Connected")
    # The tab that joined late caught up, and sees the answer as still streaming.
    expect(answer(other).locator(".body")).to_have_text("Seen in ")
    expect(answer(other)).to_have_attribute("data-status", "streaming")

    other.get_by_role("button", name="Stop").click()

    for tab in (page, other):
        expect(answer(tab)).to_have_attribute("data-status", "stopped")
        expect(answer(tab).locator(".body")).to_have_text("Seen in")
        expect(tab.locator("#send")).to_be_visible()
    assert live_upstream.disconnected.wait(timeout=10)
    other.close()


def test_it_streams_live_into_a_second_tab_and_a_stop_reaches_both(
    page, live_upstream, alice_context
):
    other = alice_context.new_page()
    other.goto(page.url)
    expect(other.locator("#connection")).to_have_text("Connected")
    live_upstream.queue(Reply(tokens=["Live ", "in ", "both", " tabs"], hold_after=2))

    send(page, "Watch this")

    expect(other.locator(".message.user .body")).to_have_text("Watch this")
    expect(answer(other).locator(".body")).to_have_text("Live in ")
    expect(other.get_by_role("button", name="Stop")).to_be_visible()

    page.get_by_role("button", name="Stop").click()

    for tab in (page, other):
        expect(answer(tab)).to_have_attribute("data-status", "stopped")
        expect(answer(tab).locator(".problem")).to_contain_text("Stopped")
        expect(tab.locator("#send")).to_be_visible()
    other.close()
