"""The benchmark's first-token figures, computed from fixed times (µs)."""

from chat.bench.clients import client_tag, client_text
from chat.bench.figures import FirstToken
from chat.management.commands.benchmark import first_tokens


def test_send_to_first_token_counts_from_the_clients_send():
    # Send at 1,000; the request reaches the upstream at 1,400 (the turn stored,
    # the request built); the upstream stamps its first token 20,000 later; the
    # token reaches the client 1,500 after its stamp.
    first = FirstToken(sent=1_000, upstream_received=1_400, stamped=21_400, arrived=22_900)

    assert first.send_to_first == 21_900
    assert first.upstream_own == 20_000
    assert first.added == 1_900
    assert first.to_upstream == 400
    assert first.relay_only == 1_500
    assert first.added == first.to_upstream + first.relay_only


def test_a_slow_start_shows_in_added_but_not_in_relay_only():
    quick = FirstToken(sent=0, upstream_received=300, stamped=20_300, arrived=21_300)
    queued = FirstToken(sent=0, upstream_received=450_000, stamped=470_000, arrived=471_000)

    assert quick.relay_only == queued.relay_only == 1_000
    assert (quick.added, queued.added) == (1_300, 451_000)


def test_each_stream_is_paired_with_its_own_request_and_its_first_token():
    streams = [
        {"sent": 10, "upstream_received": 50, "first_stamp": 20_050, "arrivals": [20_100, 90_000]},
        {"sent": 10, "upstream_received": 900, "first_stamp": 20_900, "arrivals": [21_000, 95_000]},
        {"sent": 10, "upstream_received": None, "first_stamp": 1, "arrivals": [2, 3]},
        {"sent": 10, "upstream_received": 70, "first_stamp": None, "arrivals": []},
    ]

    firsts = first_tokens(streams)

    assert [(f.send_to_first, f.added, f.relay_only) for f in firsts] == [
        (20_090, 90, 50),
        (20_990, 990, 100),
    ]


def test_each_client_tags_its_text_so_its_request_can_be_found():
    job = {"text": "tokens=300 rate=50"}
    texts = [client_text(job, n) for n in range(12)]

    assert len(set(texts)) == 12
    assert texts[11].rsplit(" ", 1)[-1] == client_tag(11)
    assert texts[1].rsplit(" ", 1)[-1] != client_tag(11)
