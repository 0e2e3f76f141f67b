"""/metrics: the values after a known sequence, scraped from both of two daphne
processes sharing PROMETHEUS_MULTIPROC_DIR."""

import asyncio
import json

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from chat.testing.upstream import Reply
from tests.support.images import image_bytes
from tests.support.live import login, receive_until, redis_site, socket_to, upload, wait_for
from tests.support.websocket import streamed_text

TOKEN = "a-metrics-token-for-the-tests"


@pytest.fixture(scope="module")
def site(tmp_path_factory, live_upstream_server):
    workdir = tmp_path_factory.mktemp("metrics")
    (workdir / "prometheus").mkdir()
    with redis_site(
        workdir,
        live_upstream_server,
        PROMETHEUS_MULTIPROC_DIR=str(workdir / "prometheus"),
        METRICS_TOKEN=TOKEN,
        TOKENGATE_MAX_RETRIES="1",
        TOKENGATE_RETRY_BASE_SECONDS="0.01",
    ) as site:
        site.start_server()
        site.start_server()
        yield site


def scrape(server):
    response = httpx.get(
        f"{server.url}/metrics", headers={"Authorization": f"Bearer {TOKEN}"}, trust_env=False
    )
    assert response.status_code == 200
    values = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            key = (sample.name, tuple(sorted(sample.labels.items())))
            values[key] = sample.value
    return values


def value(values, name, **labels):
    return values.get((name, tuple(sorted(labels.items()))), 0)


def send(text):
    return json.dumps({"action": "send", "text": text, "model": "gpt-4o"})


async def test_it_counts_answers_tokens_errors_and_uploads_across_two_processes(
    site, live_upstream
):
    a, b = site.servers
    alice = login(a, "alice")
    cookie = alice.cookies["sessionid"]
    code = alice.get("/").headers["location"].strip("/").rsplit("/", 1)[-1]
    # Two uploads on B: one image, one that is not.
    image = image_bytes("PNG", size=(40, 30))
    assert upload(alice, image, "ok.png", server=b).status_code == 201
    assert upload(alice, b"<html>no</html>", "fake.png", server=b).status_code == 400
    live_upstream.queue(
        Reply(tokens=["One ", "answer."], usage={"prompt_tokens": 30, "completion_tokens": 4}),
        # Two 503s: the first is retried, the second ends the answer.
        Reply(status=503, body='{"error": {"message": "busy"}}'),
        Reply(status=503, body='{"error": {"message": "busy"}}'),
        Reply(tokens=["Held ", "here", " then done."], hold_after=2),
    )

    async with socket_to(a, code, cookie=cookie) as on_a, socket_to(b, code, cookie=cookie) as on_b:
        await on_a.send(send("First"))  # runs on A: complete
        await asyncio.gather(receive_until(on_a, "done"), receive_until(on_b, "done"))
        await on_b.send(send("Second"))  # runs on B: a retry, then an error
        failed = await receive_until(on_b, "done", "error")
        await receive_until(on_a, "error")  # A's socket saw it too
        await on_a.send(send("Third"))  # runs on A, held mid-answer while we scrape
        started = await receive_until(on_a, "answer")
        answer_id = started[-1]["message"]["id"]
        events = []
        while streamed_text(events, answer_id) != "Held here":
            events.append(json.loads(await on_a.recv()))
        during = [scrape(a), scrape(b)]
        live_upstream.release.set()
        await asyncio.gather(receive_until(on_a, "done"), receive_until(on_b, "done"))
    # The processes notice the closed sockets a moment later.
    wait_for(lambda: value(scrape(a), "tokengate_websockets_open") == 0, message="sockets closed")
    after = [scrape(a), scrape(b)]

    assert failed[-1]["code"] == "gateway_unavailable"
    for values in during:  # the same totals from either process
        assert value(values, "tokengate_answers_streaming") == 1
        assert value(values, "tokengate_websockets_open") == 2
    for values in after:
        assert value(values, "tokengate_answers_total", status="complete", model="gpt-4o") == 2
        assert value(values, "tokengate_answers_total", status="error", model="gpt-4o") == 1
        assert value(values, "tokengate_tokens_total", direction="in", model="gpt-4o") == 30 + 42
        assert value(values, "tokengate_tokens_total", direction="out", model="gpt-4o") == 4 + 6
        assert value(values, "tokengate_answer_seconds_count", model="gpt-4o") == 3
        assert value(values, "tokengate_answer_first_token_seconds_count", model="gpt-4o") == 2
        assert (
            value(values, "tokengate_gateway_requests_total", outcome="complete", status="200") == 2
        )
        assert (
            value(
                values,
                "tokengate_gateway_requests_total",
                outcome="gateway_unavailable",
                status="503",
            )
            == 2
        )
        assert value(values, "tokengate_gateway_retries_total") == 1
        assert value(values, "tokengate_answers_streaming") == 0
        assert value(values, "tokengate_websockets_open") == 0
        assert value(values, "tokengate_upload_bytes_count") == 1
        assert value(values, "tokengate_upload_bytes_sum") == len(image)
        assert value(values, "tokengate_uploads_refused_total", reason="not_an_image") == 1
