"""The benchmark's own pieces (`manage.py benchmark`), without timing anything:
the stamping upstream, the clients' loss and order counting, and the table."""

import json
import subprocess
import sys

import httpx
import pytest

from chat.bench.figures import StreamCount, percentile, table
from chat.management.commands.benchmark import Command
from chat.testing.upstream import FakeUpstream, stamped_reply
from tests.support.live import ROOT, login, open_conversation


@pytest.fixture
def stamping_upstream():
    server = FakeUpstream(reply_for=stamped_reply).start()
    yield server
    server.stop()


def stamps_of(upstream_url, text):
    body = {"model": "gpt-4o", "stream": True, "messages": [{"role": "user", "content": text}]}
    with httpx.stream("POST", f"{upstream_url}/chat/completions", json=body) as response:
        lines = [line for line in response.iter_lines() if line.startswith("data: {")]
    chunks = [json.loads(line.removeprefix("data: ")) for line in lines]
    return [c["choices"][0]["delta"].get("content") for c in chunks if c["choices"]]


def test_it_stamps_each_token_with_its_number_and_send_time(stamping_upstream):
    contents = [c for c in stamps_of(stamping_upstream.url, "tokens=5 rate=0") if c]

    stamps = [tuple(int(part) for part in c.rstrip(" ").split(":")) for c in contents]
    assert [sequence for sequence, _ in stamps] == [0, 1, 2, 3, 4]
    times = [sent for _, sent in stamps]
    assert times == sorted(times)
    assert all(c.endswith(" ") for c in contents)
    [request] = stamping_upstream.requests
    assert request.received <= times[0] and request.size > 0


def test_it_sends_as_many_tokens_as_asked(stamping_upstream):
    contents = [c for c in stamps_of(stamping_upstream.url, "tokens=40 rate=1000") if c]
    assert len(contents) == 40


def feed(count, stamps, events):
    """Token events over `stamps` (each "n:t "), as (offset, text) per event."""
    offsets, text = [], ""
    for piece in stamps:
        offsets.append((len(text), piece))
        text += piece
    for index in events:
        offset, piece = offsets[index]
        count.token(offset, piece, received=1_000 + index)


def test_it_counts_a_lost_token_and_a_gap_on_a_lossy_stream():
    stamps = [f"{n}:{100 * n} " for n in range(10)]
    count = StreamCount()
    feed(count, stamps, [0, 1, 2, 4, 5, 6, 7, 8, 9])  # the event with token 3 is lost

    assert count.gaps == 1
    assert count.lost(10) == 1
    assert count.out_of_order == 1  # 4 came straight after 2
    assert len(count.latencies) == 9


def test_it_drops_a_repeat_and_counts_tokens_out_of_order():
    count = StreamCount()
    count.token(0, "0:0 1:0 ", received=10)
    count.token(4, "1:0 2:0 ", received=20)  # repeats token 1: only token 2 is new
    count.token(12, "4:0 3:0 ", received=30)  # the upstream's own order was wrong
    assert count.lost(5) == 0
    assert count.out_of_order == 2  # 4 after 2, then 3 after 4
    assert count.latencies == [10, 10, 20, 30, 30]


def test_it_reads_a_stamp_cut_between_two_events():
    count = StreamCount()
    count.token(0, "0:5 1:", received=10)
    count.token(6, "7 2:9 ", received=20)
    assert count.lost(3) == 0 and count.out_of_order == 0
    assert count.latencies == [5, 13, 11]


def test_it_takes_nearest_rank_percentiles():
    values = list(range(1, 101))
    assert percentile(values, 0.5) == 50
    assert percentile(values, 0.99) == 99
    assert percentile([], 0.5) is None


def test_it_prints_an_aligned_table_with_every_figure(capsys):
    command = Command()
    command.rows = [["1 process", "50", "60.0 / 90.0", "40.0 / 70.0", "1.0 / 2.0", "20.1", "0.5",
                     "20.0 / 41.0", "0 / 0", "0.12", "0.10", "95", "8.0", "1.2"]]  # fmt: skip
    command.notes = ["One stream of 5,000 tokens, no delay: …"]
    command.began = "2026-12-03 08:00:00"
    command.report()
    lines = capsys.readouterr().out.splitlines()

    assert "run 2026-12-03 08:00:00–" in lines[1] and "load average now" in lines[1]
    header, rule, row = lines[2], lines[3], lines[4]
    for figure in ("Send → first token p50 / p99", "added: Send → first token less the upstream's",
                   "relay only: first token's arrival less its stamp",
                   "upstream's own first token", "per-token added latency p50 / p99",
                   "tokens lost / out of order", "app CPU s per 1,000 tokens", "peak RSS",
                   "DB writes per answer", "upstream read directly (httpx alone): added",
                   "upstream read directly (httpx alone): CPU s per 1,000 tokens",
                   "load average"):  # fmt: skip
        assert figure in header
    assert len(header) == len(rule) == len(row)
    assert [i for i, c in enumerate(header) if c == "|"] == [
        i for i, c in enumerate(row) if c == "|"
    ]
    assert lines[-1] == "- One stream of 5,000 tokens, no delay: …"
    assert table(["a"], [["bb"]]) == "| a  |\n| -- |\n| bb |"


def test_its_clients_read_every_stamped_token_through_daphne(
    live_site, daphne_server, live_upstream
):
    live_upstream.reply_for = stamped_reply
    try:
        live_site.create_user("carol")
        people = [login(daphne_server, name) for name in ("alice", "carol")]
        job = {
            "servers": [{"http": daphne_server.url, "ws": daphne_server.ws_url}],
            "clients": [(p.cookies["sessionid"], open_conversation(p)) for p in people],
            "count": 2, "text": "tokens=30 rate=0", "model": "gpt-4o", "tokens": 30,
            "timeout": 60, "direct": "",
        }  # fmt: skip
        done = subprocess.run(
            [sys.executable, "-m", "chat.bench.clients"], input=json.dumps(job),
            capture_output=True, text=True, cwd=ROOT, timeout=120, check=True,
        )  # fmt: skip
    finally:
        live_upstream.reply_for = None
    streams = json.loads(done.stdout)["streams"]
    assert [s["status"] for s in streams] == ["complete", "complete"]
    assert all(s["answer_complete"] for s in streams)
    assert [(s["lost"], s["out_of_order"], len(s["latencies"])) for s in streams] == [
        (0, 0, 30)
    ] * 2
    # Each client's first token, stamped by the upstream after the client's Send.
    assert all(s["sent"] < s["first_stamp"] <= s["arrivals"][0] for s in streams)
