"""Issue 17, finding 10, against a running daphne: a frame over
WEBSOCKET_MAX_BYTES closes the socket with 1009, and the consumer's cleanup
runs (the open-sockets gauge comes back)."""

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from websockets.exceptions import ConnectionClosed

from tests.support.live import login, open_conversation, socket_to, wait_for

TOKEN = "metrics-token"


@pytest.fixture(scope="module")
def live_site_environment():
    return {"METRICS_TOKEN": TOKEN}


def sockets_open(server):
    response = httpx.get(
        f"{server.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, trust_env=False
    )
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == "tokengate_websockets_open":
                return sample.value
    raise AssertionError("no tokengate_websockets_open in /metrics")


async def test_it_closes_five_oversized_frames_with_1009_and_the_gauge_comes_back(daphne_server):
    """Fails on main before issue 17: daphne refused the consumer's 1009, the
    socket ended in 1011 and disconnect() never ran, so the gauge grew by 5."""
    alice = login(daphne_server, "alice")
    code = open_conversation(alice)
    before = sockets_open(daphne_server)
    codes = []

    for _ in range(5):
        async with socket_to(daphne_server, code, cookie=alice.cookies["sessionid"]) as socket:
            await socket.send('{"action": "send", "text": "' + "x" * 300_000 + '"}')
            with pytest.raises(ConnectionClosed):
                while True:
                    await socket.recv()
        codes.append(socket.close_code)

    assert codes == [1009] * 5
    wait_for(lambda: sockets_open(daphne_server) == before, message="the gauge back")
    assert "Traceback" not in daphne_server.log()
