"""The consumer and the page speak the actions of chat/live/protocol.py."""

import re
from pathlib import Path

from chat.live import protocol
from chat.live.consumer import ChatConsumer

STATIC_JS = Path(__file__).resolve().parents[2] / "static" / "js"


def test_it_has_one_handler_for_each_action_and_none_other():
    handlers = {
        name.removeprefix("action_") for name in dir(ChatConsumer) if name.startswith("action_")
    }

    assert handlers == set(protocol.ACTIONS)


def test_it_handles_every_action_the_page_sends():
    sent = {
        action
        for script in STATIC_JS.rglob("*.js")
        for action in re.findall(r'\baction: "(\w+)"', script.read_text())
    }

    assert "send" in sent  # the pattern still finds them
    assert sent <= set(protocol.ACTIONS)
