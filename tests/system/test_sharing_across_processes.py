"""A share link on two daphne processes over PostgreSQL and Redis: made on one,
opened on the other, and gone from both at once when revoked or expired."""

import json
import re

import httpx
import pytest

from chat.testing.upstream import Reply
from tests.support.images import image_bytes
from tests.support.live import (
    login,
    open_conversation,
    receive_until,
    redis_site,
    socket_to,
    upload,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory, live_upstream_server):
    with redis_site(tmp_path_factory.mktemp("sharing"), live_upstream_server) as site:
        site.start_server()
        site.start_server()
        yield site


def make_link(server, alice, code):
    response = alice.post(
        f"/c/{code}/share/",
        data={"expiry": "week"},
        headers={"X-CSRFToken": alice.cookies["csrftoken"]},
    )
    assert response.status_code == 201, response.text
    return response.json()["url"]


async def test_a_link_made_on_one_process_opens_on_the_other_and_closes_on_both(
    site, live_upstream
):
    a, b = site.servers
    alice = login(a, "alice")
    code = open_conversation(alice)
    image_id = upload(alice, image_bytes("PNG", size=(64, 48)), "red.png").json()["id"]
    live_upstream.queue(Reply(tokens=["A red square."]))
    async with socket_to(a, code, cookie=alice.cookies["sessionid"]) as socket:
        await socket.send(json.dumps({"action": "send", "text": "What is this?", "model": "gpt-4o",
                                      "images": [{"id": image_id, "detail": "high"}]}))  # fmt: skip
        assert (await receive_until(socket, "done", "error"))[-1]["type"] == "done"

    first_url = make_link(a, alice, code)
    second_url = make_link(a, alice, code)
    visitor = httpx.Client(trust_env=False, timeout=10)  # no cookies
    path = re.sub(r"^https?://[^/]+", "", first_url)
    page_on_b = visitor.get(b.url + path)
    assert page_on_b.status_code == 200 and "A red square." in page_on_b.text
    image = re.search(r'<img src="([^"]+)"', page_on_b.text).group(1)
    assert visitor.get(b.url + image).status_code == 200

    [share_id] = site.query("SELECT id FROM sharing_share WHERE token = %s", path.split("/")[2])[0]
    revoked = alice.post(
        f"/settings/shares/{share_id}/revoke/", headers={"X-CSRFToken": alice.cookies["csrftoken"]}
    )
    assert revoked.status_code == 302
    for server in (a, b):
        assert visitor.get(server.url + path).status_code == 404
        assert visitor.get(server.url + image).status_code == 404

    # The other link, expired by the clock: gone on both as well.
    second = re.sub(r"^https?://[^/]+", "", second_url)
    assert visitor.get(b.url + second).status_code == 200
    site.query(
        "UPDATE sharing_share SET expires = now() - interval '1 second' "
        "WHERE token = %s RETURNING id",
        second.split("/")[2],
    )
    for server in (a, b):
        assert visitor.get(server.url + second).status_code == 404
    for server in (a, b):
        assert "Traceback" not in server.log()
