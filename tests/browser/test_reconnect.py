"""The conversation page in Chromium when its websocket drops: it reconnects and
catches up without a reload, each message once; when there is nothing to
reconnect to, it says so. And what a keyboard and a screen reader get."""

import re
import signal

import pytest

from chat.testing.upstream import Reply
from tests.support.browser import answer, expect, log_in, new_conversation, send
from tests.support.live import wait_for
from tests.support.tcp_proxy import TcpProxy


def open_through(proxy, context, server):
    page = new_conversation(context)
    page.goto(page.url.replace(server.url, f"http://127.0.0.1:{proxy.port}"))
    expect(page.locator("#connection")).to_have_text("Connected")
    return page


@pytest.fixture
def cut(alice_context, daphne_server):
    """A new conversation of alice's, opened through a TCP proxy the test can cut:
    (page, proxy). proxy.stop() drops the socket and refuses new ones."""
    proxy = TcpProxy("127.0.0.1", daphne_server.port).start()
    page = open_through(proxy, alice_context, daphne_server)
    yield page, proxy
    page.close()
    proxy.stop()


def csrf_header(context):
    return {"X-CSRFToken": next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")}


def drop(page, proxy):
    """The network goes away: the page hears it, and its socket is cut."""
    page.context.set_offline(True)
    proxy.stop()
    expect(page.locator("#connection")).to_have_text(re.compile("reconnecting"))


def come_back(page, proxy):
    """The network is back: "online" makes the page reconnect at once."""
    proxy.start()
    page.context.set_offline(False)
    expect(page.locator("#connection")).to_have_text("Connected")


def stored_status(live_site, message_id):
    return live_site.query("SELECT status FROM chat_message WHERE id = %s", message_id)[0][0]


def test_it_shows_an_answer_that_finished_while_the_socket_was_down_and_sends_again(
    cut, live_upstream, live_site
):
    page, proxy = cut
    live_upstream.queue(
        Reply(tokens=["Finished ", "while ", "away."], hold_after=1), Reply(tokens=["Back."])
    )
    send(page, "Go on")
    expect(answer(page).locator(".body")).to_have_text("Finished")
    answer_id = int(answer(page).get_attribute("data-message-id"))

    drop(page, proxy)
    live_upstream.release.set()
    wait_for(lambda: stored_status(live_site, answer_id) == "complete")
    expect(answer(page)).to_have_attribute("data-status", "streaming")  # it could not know
    come_back(page, proxy)

    expect(answer(page)).to_have_attribute("data-status", "complete")
    expect(answer(page).locator(".body")).to_have_text("Finished while away.")
    expect(page.locator(".message")).to_have_count(2)
    expect(page.locator("#send")).to_be_visible()
    expect(page.locator("#stop")).to_be_hidden()
    expect(page.locator("#announcer")).to_have_text("Answer: Finished while away.")

    send(page, "And now?")
    expect(page.locator(".message")).to_have_count(4)
    expect(answer(page)).to_have_attribute("data-status", "complete")
    expect(answer(page).locator(".body")).to_have_text("Back.")


def test_it_gives_up_on_a_socket_that_looks_open_but_carries_nothing(cut, live_upstream, live_site):
    page, proxy = cut
    live_upstream.queue(Reply(tokens=["Ended ", "unheard."], hold_after=1))
    send(page, "Go")
    expect(answer(page).locator(".body")).to_have_text("Ended ")
    answer_id = int(answer(page).get_attribute("data-message-id"))

    proxy.freeze()  # as after a laptop's sleep: the socket looks open, nothing gets through
    live_upstream.release.set()
    wait_for(lambda: stored_status(live_site, answer_id) == "complete")
    expect(page.locator("#connection")).to_have_text("Connected")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")  # the lid opens

    # Its "resume" gets no answer: it drops that socket (after 15 s) and opens another.
    expect(answer(page)).to_have_attribute("data-status", "complete", timeout=30_000)
    expect(answer(page).locator(".body")).to_have_text("Ended unheard.")
    expect(page.locator(".message")).to_have_count(2)
    expect(page.locator("#send")).to_be_visible()


def test_it_shows_once_the_turns_another_tab_sent_while_the_socket_was_down(
    cut, live_upstream, browser, alice_context, daphne_server
):
    page, proxy = cut
    live_upstream.queue(Reply(tokens=["First."]), Reply(tokens=["From ", "the ", "other tab."]))
    send(page, "One")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    drop(page, proxy)
    # Another window of the same session, whose network is not cut.
    elsewhere = browser.new_context(storage_state=alice_context.storage_state())
    other = elsewhere.new_page()
    other.goto(page.url.replace(f"127.0.0.1:{proxy.port}", daphne_server.url.split("//")[1]))
    expect(other.locator("#connection")).to_have_text("Connected")
    send(other, "Two, from the other tab")
    expect(answer(other)).to_have_attribute("data-status", "complete")
    elsewhere.close()
    come_back(page, proxy)

    expect(page.locator(".message .body")).to_have_text(
        ["One", "First.", "Two, from the other tab", "From the other tab."]
    )


def test_it_stops_reconnecting_and_says_so_when_the_conversation_is_gone(page, alice_context):
    sockets = []
    page.on("websocket", lambda socket: sockets.append(socket))
    page.reload()
    expect(page.locator("#connection")).to_have_text("Connected")

    # Deleted from elsewhere: the server closes the page's socket with 4404.
    deleted = page.request.post(
        page.url + "delete/", form={"confirmed": "yes"}, headers=csrf_header(alice_context)
    )
    assert deleted.ok

    status = page.locator("#connection")
    expect(status).to_have_text(re.compile("This conversation no longer exists"))
    expect(status.get_by_role("link", name="Open another")).to_have_attribute("href", "/")
    # The network and the tab "coming back" would reconnect at once: nothing opens.
    page.evaluate("dispatchEvent(new Event('online'))")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    page.wait_for_timeout(1500)  # longer than the first backoff
    assert len(sockets) == 1


def test_it_says_the_person_was_logged_out_with_a_link_to_log_in(browser, daphne_server):
    context = log_in(browser, daphne_server)  # a session of its own, to end
    proxy = TcpProxy("127.0.0.1", daphne_server.port).start()
    page = open_through(proxy, context, daphne_server)
    path = page.evaluate("location.pathname")
    assert page.request.post("/logout/", headers=csrf_header(context)).ok

    proxy.stop()  # the socket drops; its next one is refused with 4401
    proxy.start()

    status = page.locator("#connection")
    expect(status).to_have_text("You are logged out. Log in to go on.")
    expect(status.get_by_role("link", name="Log in")).to_have_attribute(
        "href", "/login/?next=" + path.replace("/", "%2F")
    )
    context.close()
    proxy.stop()


def test_it_stops_the_answer_with_escape(page, live_upstream):
    live_upstream.queue(Reply(tokens=["Stopped ", "by ", "Esc", " here"], hold_after=2))
    send(page, "Go")
    expect(answer(page).locator(".body")).to_have_text("Stopped by ")

    page.keyboard.press("Escape")

    expect(answer(page)).to_have_attribute("data-status", "stopped")
    expect(page.locator("#send")).to_be_visible()
    assert live_upstream.disconnected.wait(timeout=10)


def test_it_lists_its_shortcuts_and_they_work(page, live_upstream):
    send(page, "Hello")  # a conversation with a message: a new one is another
    expect(answer(page)).to_have_attribute("data-status", "complete")
    page.locator("#message-text").blur()  # keys now go to the page, not a field
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Stop the answer")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    page.keyboard.press("/")
    expect(page.locator("#message-text")).to_be_focused()
    expect(page.locator("#message-text")).to_have_value("")  # the key went no further
    page.locator("#message-text").blur()
    page.keyboard.press("Shift+Escape")
    expect(page.locator("#message-text")).to_be_focused()

    page.get_by_role("button", name="Keyboard shortcuts").click()
    expect(dialog).to_be_visible()
    page.keyboard.press("Escape")

    url = page.url
    page.keyboard.press("Control+Shift+O")
    expect(page).not_to_have_url(url)
    expect(page.locator("#conversation-title")).to_have_text("New conversation")
    expect(page.locator(".message")).to_have_count(0)


def test_it_shows_where_the_keyboard_is_on_every_control_tab_reaches(page, live_upstream):
    send(page, "Hello")  # an answer, with its copy, thumbs and version controls
    expect(answer(page)).to_have_attribute("data-status", "complete")
    page.locator("#message-text").blur()
    seen = {}
    for _ in range(60):
        page.keyboard.press("Tab")
        name, ring = page.evaluate(
            """() => {
              const e = document.activeElement;
              const style = getComputedStyle(e);
              return [e.tagName + "#" + e.id + "." + e.className + ":" + e.textContent.slice(0, 20),
                      style.outlineStyle + " " + style.outlineWidth];
            }"""
        )
        if not name.startswith("BODY"):  # past the last control, before the first again
            seen[name] = ring
    assert len(seen) > 15  # the sidebar, the header, the transcript and the composer
    assert {name: ring for name, ring in seen.items() if ring != "solid 2px"} == {}


def test_it_announces_each_answer_once_when_it_ends(page, live_upstream):
    live_upstream.queue(
        Reply(tokens=["Once ", "upon ", "a ", "**time**."], seconds_between_tokens=0.1)
    )
    page.evaluate(
        """() => {
          window.__heard = [];
          const region = document.getElementById("announcer");
          new MutationObserver(() => window.__heard.push(region.textContent))
            .observe(region, { childList: true, characterData: true, subtree: true });
        }"""
    )
    send(page, "A story")
    expect(answer(page)).to_have_attribute("data-status", "complete")

    assert page.evaluate("window.__heard") == ["Answer: Once upon a time."]
    # The transcript is not a live region: its batches are not read out.
    assert page.locator("[aria-live]").evaluate_all("els => els.map((e) => e.id)") == ["announcer"]
    expect(page.get_by_role("status").filter(has_text="Connected")).to_have_count(1)


def test_it_shows_the_stored_title_in_the_tab_at_once(page, live_upstream):
    send(page, "What   is\nthis  small red square about?")
    expect(answer(page)).to_have_attribute("data-status", "complete")
    shown = (page.locator("#conversation-title").text_content(), page.title())

    page.reload()
    assert (page.locator("#conversation-title").text_content(), page.title()) == shown


def test_it_puts_back_the_image_history_choice_it_could_not_save(cut):
    page, proxy = cut
    picker = page.locator("#image-history")
    before = picker.input_value()
    proxy.stop()  # the server cannot be reached

    picker.select_option("3")

    expect(page.locator("#notice")).to_have_text(
        "The image-history setting was not saved, so it stays at “every turn”: "
        "The server could not be reached."
    )
    expect(picker).to_have_value(before)


# Last: it restarts the module's server.
def test_it_comes_back_after_the_server_restarts_and_sends_again(
    page, live_upstream, live_site, daphne_server
):
    live_upstream.queue(
        Reply(tokens=["Cut ", "by ", "the restart"], hold_after=1),
        Reply(tokens=["After ", "the restart."]),
    )
    send(page, "Go")
    expect(answer(page).locator(".body")).to_have_text("Cut ")

    # SIGTERM: the answer is interrupted after the grace, and the socket closed with 4012.
    daphne_server.signal(signal.SIGTERM)
    expect(answer(page)).to_have_attribute("data-status", "error")
    expect(page.locator("#connection")).to_have_text(re.compile("reconnecting"))
    daphne_server.wait_for_exit()
    live_site.start_server(port=daphne_server.port)

    # However far the backoff has gone (15 s at most), it comes back.
    expect(page.locator("#connection")).to_have_text("Connected", timeout=20_000)
    send(page, "Again")
    expect(page.locator(".message")).to_have_count(4)
    expect(answer(page).locator(".body")).to_have_text("After the restart.")
